#include "common/server.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"

namespace gridserve {

int RunBackend(const BackendDefinition& definition, int argc, char** argv) {
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  return RunService(definition, argc, argv);
}

}  // namespace gridserve
