# gridserve_add_test(<name> LABEL unit|integration|e2e SOURCES <files> [LIBS <targets>] [TIMEOUT s])
#
# One GoogleTest binary, registered as one ctest test with the given label:
#   unit        no PostgreSQL, no ports
#   integration a real PostgreSQL (a throwaway cluster, fresh schema per test)
#   e2e         real processes talking over loopback
function(gridserve_add_test name)
  cmake_parse_arguments(ARG "" "LABEL;TIMEOUT" "SOURCES;LIBS" ${ARGN})
  if(NOT ARG_LABEL MATCHES "^(unit|integration|e2e)$")
    message(FATAL_ERROR "gridserve_add_test(${name}): LABEL must be unit, integration or e2e")
  endif()
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gmock GTest::gtest_main)
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES LABELS ${ARG_LABEL} TIMEOUT ${ARG_TIMEOUT}
    ENVIRONMENT "GRIDSERVE_BUILD_DIR=${PROJECT_BINARY_DIR};GRIDSERVE_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endfunction()
