// gridserve-gateway: the one public entry. Verifies callers against the
// access rule each method declares in its proto, forwards every gridserve.<service>.v1.* call to its
// backend, serves reflection for all of them, and answers its own services
// (sessions, accounts, audit) from the gateway schema.

#include "absl/time/clock.h"
#include "common/log.h"
#include "common/server.h"
#include "common/status_macros.h"
#include "gateway/account_options.h"
#include "gateway/account_service.h"
#include "gateway/accounts.h"
#include "gateway/audit_log.h"
#include "gateway/audit_service.h"
#include "gateway/auth_service.h"
#include "gateway/client_certificates.h"
#include "gateway/rate_limiter.h"
#include "gateway/forwarding_service.h"
#include "gateway/passwords.h"
#include "gateway/pg_audit_store.h"
#include "gateway/pg_account_store.h"
#include "gateway/sessions.h"
#include "gateway/public_services.h"
#include "gateway/reflection_service.h"
#include "gateway_sql.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"

namespace gridserve::gateway {
namespace {

// The gateway's own services (sessions, accounts, audit) run on an internal
// server and are reached through the forwarding path like any backend, so
// the declared access rules, rate limits and the audit log apply to them alike.
// The internal server listens on a free loopback port: gRPC 1.51's in-process
// transport dropped response messages on the generic forwarding path (see
// docs/), and its handlers verify tokens themselves like every backend.
class GatewayBundle final : public ServiceBundle {
 public:
  GatewayBundle(BackendContext& context, AccountOptions options, PasswordHasher passwords, RateLimit principal_limit,
                RateLimit address_limit, std::unique_ptr<ClientCertificateRegistry> client_certificates)
      : options_(std::move(options)),
        rate_limits_(principal_limit, address_limit),
        client_certificates_(std::move(client_certificates)),
        passwords_(std::move(passwords)),
        account_store_(context.pool),
        accounts_(account_store_, passwords_),
        sessions_(account_store_, passwords_, context.tokens, options_.sessions),
        auth_(sessions_, context.tokens),
        account_service_(accounts_, context.tokens),
        audit_store_(context.pool),
        audit_log_(audit_store_),
        audit_service_(audit_store_, context.tokens),
        internal_(StartInternalServer({&auth_, &account_service_, &audit_service_})),
        forwarding_(context.peers, context.tokens, &audit_log_,
                    Admission{.rate_limits = &rate_limits_, .client_certificates = client_certificates_.get()}),
        reflection_(PublicServiceNames()) {
    if (client_certificates_ != nullptr) {
      for (const auto& [fingerprint, client] : client_certificates_->clients()) {
        if (client.rate_limit) rate_limits_.SetPrincipalLimit(ClientPrincipal(client, 0).subject, *client.rate_limit);
      }
    }
    context.peers.Add("gateway",
                      grpc::CreateChannel("127.0.0.1:" + std::to_string(internal_port_), grpc::InsecureChannelCredentials()),
                      "127.0.0.1:" + std::to_string(internal_port_) + " (internal)");
  }
  ~GatewayBundle() override { internal_->Shutdown(); }
  std::vector<grpc::Service*> Services() override { return {&reflection_}; }
  grpc::CallbackGenericService* Generic() override { return &forwarding_; }
  absl::Status AfterMigrations() override {
    if (options_.bootstrap_admin_password.empty()) return absl::OkStatus();
    absl::StatusOr<bool> created =
        accounts_.BootstrapAdmin(options_.bootstrap_admin_login, options_.bootstrap_admin_password,
                                 options_.bootstrap_admin_scope, absl::Now() + absl::Seconds(30));
    if (!created.ok()) return created.status();
    if (*created) {
      Log(LogLevel::kInfo, "created the first account",
          {{"login_name", options_.bootstrap_admin_login}, {"role", "DISTRICT_ADMIN"},
           {"org_scope", options_.bootstrap_admin_scope}});
    }
    return absl::OkStatus();
  }

 private:
  std::unique_ptr<grpc::Server> StartInternalServer(const std::vector<grpc::Service*>& services) {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &internal_port_);
    for (grpc::Service* service : services) builder.RegisterService(service);
    return builder.BuildAndStart();
  }

  const AccountOptions options_;
  CallRateLimits rate_limits_;
  std::unique_ptr<ClientCertificateRegistry> client_certificates_;
  int internal_port_ = 0;
  const PasswordHasher passwords_;
  PgAccountStore account_store_;
  Accounts accounts_;
  Sessions sessions_;
  AuthService auth_;
  AccountService account_service_;
  PgAuditStore audit_store_;
  AuditLog audit_log_;
  AuditService audit_service_;
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
       .define_flags =
           [](gridserve::Flags& flags) {
             gridserve::gateway::DefineAccountFlags(flags);
             gridserve::gateway::DefineRateLimitFlags(flags);
             gridserve::gateway::DefineClientCertificateFlags(flags);
           },
       .check_settings = [](const gridserve::ServerSettings& settings) {
         return gridserve::gateway::CheckBackendsConfigured(settings.peers);
       },
       .make_services = [](gridserve::BackendContext& context)
           -> absl::StatusOr<std::unique_ptr<gridserve::ServiceBundle>> {
         using namespace gridserve::gateway;
         ASSIGN_OR_RETURN(AccountOptions options, AccountOptionsFromFlags(context.flags));
         ASSIGN_OR_RETURN(PasswordHasher passwords, PasswordHasher::Create(PasswordCost::Interactive()));
         ASSIGN_OR_RETURN(RateLimit principal_limit, PrincipalRateLimitFromFlags(context.flags));
         ASSIGN_OR_RETURN(RateLimit address_limit, AddressRateLimitFromFlags(context.flags));
         ASSIGN_OR_RETURN(std::unique_ptr<ClientCertificateRegistry> clients,
                          ClientCertificatesFromFlags(context.flags, context.settings.tls_client_ca_file));
         return std::make_unique<GatewayBundle>(context, std::move(options), std::move(passwords), principal_limit,
                                                address_limit, std::move(clients));
       }},
      argc, argv);
}
