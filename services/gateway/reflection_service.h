#pragma once

#include <string>
#include <vector>

#include "google/protobuf/descriptor.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"

namespace gridserve::gateway {

// grpc.reflection.v1alpha for the gateway. The standard reflection plugin
// only knows services registered on the server; the gateway forwards
// gridserve.* services generically, so it describes them from the compiled-in
// descriptors instead. Generic clients (grpcurl, Postman, grpc-js tools) can
// then discover every public method at the one endpoint.
class ReflectionService final : public grpc::reflection::v1alpha::ServerReflection::Service {
 public:
  // `services`: full names of the services to list; their files and
  // dependencies are served from the generated descriptor pool.
  explicit ReflectionService(std::vector<std::string> services) : services_(std::move(services)) {}

  grpc::Status ServerReflectionInfo(
      grpc::ServerContext* context,
      grpc::ServerReaderWriter<grpc::reflection::v1alpha::ServerReflectionResponse,
                               grpc::reflection::v1alpha::ServerReflectionRequest>* stream) override;

  // Answers one request (exposed for tests).
  grpc::reflection::v1alpha::ServerReflectionResponse Answer(
      const grpc::reflection::v1alpha::ServerReflectionRequest& request) const;

 private:
  std::vector<std::string> services_;
};

}  // namespace gridserve::gateway
