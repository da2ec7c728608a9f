# gridserve_proto_library(<target> PROTOS <files> [ROOT <dir>] [DEPS <targets>] [GRPC] [PUBLIC_API])
#
# Generates C++ (and, with GRPC, gRPC stubs) for one proto package into
# ${PROJECT_BINARY_DIR}/proto_gen and builds them into one static library, so
# that the slow generated code compiles once per package. PROTOS are relative
# to ROOT (default: proto/, or proto/third_party/ for vendored files).
#
# PUBLIC_API marks a package of GridServe's public API: every such package is
# part of the INTERFACE target gridserve_public_protos (see
# gridserve_public_protos_target()), which links its object files whole, so
# the gateway finds every public method and its access rule in the descriptors
# without naming any of them in code.
set(GRIDSERVE_PROTO_ROOT "${PROJECT_SOURCE_DIR}/proto")
set(GRIDSERVE_PROTO_THIRD_PARTY "${PROJECT_SOURCE_DIR}/proto/third_party")
set(GRIDSERVE_PROTO_GEN_DIR "${PROJECT_BINARY_DIR}/proto_gen")

function(gridserve_proto_library target)
  cmake_parse_arguments(ARG "GRPC;PUBLIC_API" "ROOT" "PROTOS;DEPS" ${ARGN})
  file(MAKE_DIRECTORY "${GRIDSERVE_PROTO_GEN_DIR}")
  set(sources)
  set(extra_path)
  if(ARG_ROOT)
    set(extra_path "--proto_path=${ARG_ROOT}")
  endif()
  foreach(proto IN LISTS ARG_PROTOS)
    if(ARG_ROOT)
      set(root "${ARG_ROOT}")
    elseif(EXISTS "${GRIDSERVE_PROTO_ROOT}/${proto}")
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
        ${extra_path}
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
  add_library(${target}_objects OBJECT ${sources})
  target_include_directories(${target}_objects SYSTEM PUBLIC "${GRIDSERVE_PROTO_GEN_DIR}")
  target_link_libraries(${target}_objects PUBLIC protobuf::libprotobuf ${ARG_DEPS})
  if(ARG_GRPC)
    target_link_libraries(${target}_objects PUBLIC gRPC::grpc++)
  endif()
  target_compile_options(${target}_objects PRIVATE -w)
  add_library(${target} STATIC $<TARGET_OBJECTS:${target}_objects>)
  target_link_libraries(${target} PUBLIC ${target}_objects)
  if(ARG_PUBLIC_API)
    set_property(GLOBAL APPEND PROPERTY GRIDSERVE_PUBLIC_PROTO_LIBRARIES ${target})
  endif()
endfunction()

# Defines the INTERFACE target gridserve_public_protos: the object files of
# every PUBLIC_API proto library (call once, after them all).
function(gridserve_public_protos_target)
  get_property(libraries GLOBAL PROPERTY GRIDSERVE_PUBLIC_PROTO_LIBRARIES)
  add_library(gridserve_public_protos INTERFACE)
  foreach(library IN LISTS libraries)
    target_sources(gridserve_public_protos INTERFACE $<TARGET_OBJECTS:${library}_objects>)
    target_link_libraries(gridserve_public_protos INTERFACE ${library})
  endforeach()
endfunction()
