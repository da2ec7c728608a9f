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

namespace gridserve::gateway {
namespace {

class GatewayBundle final : public ServiceBundle {
 public:
  explicit GatewayBundle(BackendContext& context)
      : work_(8),
        forwarding_(context.peers, context.tokens, /*guard=*/nullptr, &work_),
        auth_(context.tokens),
        reflection_(PublicServiceNames()) {}
  std::vector<grpc::Service*> Services() override { return {&auth_, &reflection_}; }
  grpc::CallbackGenericService* Generic() override { return &forwarding_; }

 private:
  WorkQueue work_;
  ForwardingService forwarding_;
  AuthService auth_;
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
