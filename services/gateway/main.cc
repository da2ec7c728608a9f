// gridserve-gateway: the one public entry. Verifies callers against the
// permission table, forwards every gridserve.<service>.v1.* call to its
// backend, serves reflection for all of them, and answers its own services
// (sessions, accounts, audit) from the gateway schema.
#include "common/server.h"
#include "gateway/auth_service.h"
#include "gateway/forwarding_service.h"
#include "gateway/public_services.h"
#include "gateway/reflection_service.h"
#include "gateway/work_queue.h"
#include "gateway_sql.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"

namespace gridserve::gateway {
namespace {

// The gateway's own services (sessions, accounts, audit) run on an internal
// server and are reached through the forwarding path like any backend, so
// the permission table, rate limits and the audit log apply to them alike.
// The internal server listens on a free loopback port: gRPC 1.51's in-process
// transport dropped response messages on the generic forwarding path (see
// docs/), and its handlers verify tokens themselves like every backend.
class GatewayBundle final : public ServiceBundle {
 public:
  explicit GatewayBundle(BackendContext& context)
      : work_(8),
        auth_(context.tokens),
        internal_(StartInternalServer({&auth_})),
        forwarding_(context.peers, context.tokens, /*guard=*/nullptr, &work_),
        reflection_(PublicServiceNames()) {
    context.peers.Add("gateway",
                      grpc::CreateChannel("127.0.0.1:" + std::to_string(internal_port_), grpc::InsecureChannelCredentials()),
                      "127.0.0.1:" + std::to_string(internal_port_) + " (internal)");
  }
  ~GatewayBundle() override { internal_->Shutdown(); }
  std::vector<grpc::Service*> Services() override { return {&reflection_}; }
  grpc::CallbackGenericService* Generic() override { return &forwarding_; }

 private:
  std::unique_ptr<grpc::Server> StartInternalServer(const std::vector<grpc::Service*>& services) {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &internal_port_);
    for (grpc::Service* service : services) builder.RegisterService(service);
    return builder.BuildAndStart();
  }

  WorkQueue work_;
  int internal_port_ = 0;
  AuthService auth_;
  std::unique_ptr<grpc::Server> internal_;
  ForwardingService forwarding_;
  ReflectionService reflection_;
};

}  // namespace
}  // namespace gridserve::gateway

int main(int argc, char** argv) {
  return gridserve::RunService(
      {.name = "gateway",
       .default_port = 50051,
       .migrations = gridserve::gateway::sql::Migrations(),
       .queries = gridserve::gateway::sql::Queries(),
       .check_settings = [](const gridserve::ServerSettings& settings) {
         return gridserve::gateway::CheckBackendsConfigured(settings.peers);
       },
       .make_services = [](gridserve::BackendContext& context) -> std::unique_ptr<gridserve::ServiceBundle> {
         return std::make_unique<gridserve::gateway::GatewayBundle>(context);
       }},
      argc, argv);
}
