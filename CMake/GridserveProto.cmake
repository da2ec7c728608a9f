# gridserve_proto_library(<target> PROTOS <files relative to proto/> [DEPS <targets>] [GRPC])
#
# Generates C++ (and, with GRPC, gRPC stubs) for one proto package into
# ${PROJECT_BINARY_DIR}/proto_gen and builds them into one static library, so
# that the slow generated code compiles once per package.
set(GRIDSERVE_PROTO_ROOT "${PROJECT_SOURCE_DIR}/proto")
set(GRIDSERVE_PROTO_THIRD_PARTY "${PROJECT_SOURCE_DIR}/proto/third_party")
set(GRIDSERVE_PROTO_GEN_DIR "${PROJECT_BINARY_DIR}/proto_gen")

function(gridserve_proto_library target)
  cmake_parse_arguments(ARG "GRPC" "" "PROTOS;DEPS" ${ARGN})
  file(MAKE_DIRECTORY "${GRIDSERVE_PROTO_GEN_DIR}")
  set(sources)
  foreach(proto IN LISTS ARG_PROTOS)
    if(EXISTS "${GRIDSERVE_PROTO_ROOT}/${proto}")
      set(root "${GRIDSERVE_PROTO_ROOT}")
    else()
      set(root "${GRIDSERVE_PROTO_THIRD_PARTY}")
    endif()
    string(REGEX REPLACE "\\.proto$" "" stem "${proto}")
    set(outputs "${GRIDSERVE_PROTO_GEN_DIR}/${stem}.pb.cc" "${GRIDSERVE_PROTO_GEN_DIR}/${stem}.pb.h")
    set(plugin_args)
    if(ARG_GRPC)
      list(APPEND outputs "${GRIDSERVE_PROTO_GEN_DIR}/${stem}.grpc.pb.cc" "${GRIDSERVE_PROTO_GEN_DIR}/${stem}.grpc.pb.h")
      set(plugin_args "--grpc_out=${GRIDSERVE_PROTO_GEN_DIR}" "--plugin=protoc-gen-grpc=$<TARGET_FILE:gRPC::grpc_cpp_plugin>")
    endif()
    add_custom_command(
      OUTPUT ${outputs}
      COMMAND protobuf::protoc
        "--proto_path=${GRIDSERVE_PROTO_ROOT}"
        "--proto_path=${GRIDSERVE_PROTO_THIRD_PARTY}"
        "--proto_path=${Protobuf_INCLUDE_DIRS}"
        "--cpp_out=${GRIDSERVE_PROTO_GEN_DIR}"
        ${plugin_args}
        "${proto}"
      DEPENDS "${root}/${proto}" protobuf::protoc
      COMMENT "protoc ${proto}"
      VERBATIM)
    list(APPEND sources ${outputs})
  endforeach()
  add_library(${target} STATIC ${sources})
  target_include_directories(${target} SYSTEM PUBLIC "${GRIDSERVE_PROTO_GEN_DIR}")
  target_link_libraries(${target} PUBLIC protobuf::libprotobuf ${ARG_DEPS})
  if(ARG_GRPC)
    target_link_libraries(${target} PUBLIC gRPC::grpc++)
  endif()
  target_compile_options(${target} PRIVATE -w)
endfunction()
