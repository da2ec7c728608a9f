// The audit log in the gateway's forwarding path, over real loopback sockets
// and a real PostgreSQL: the real ForwardingService and the protos' access rules,
// AuditLog as its guard, an echo backend standing in for membership, and
// AuditService on an internal server reached through the gateway (the wiring
// GatewayBundle in main.cc uses).
#include <atomic>
#include <memory>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "common/call_log.h"
#include "common/peers.h"
#include "common/token.h"
#include "gateway/audit_log.h"
#include "gateway/audit_service.h"
#include "gateway/forwarding_service.h"
#include "gateway/pg_audit_store.h"
#include "gateway_sql.h"
#include "gmock/gmock.h"
#include "gridserve/gateway/v1/audit.grpc.pb.h"
#include "gridserve/membership/v1/organization.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "tests/support/pg_test_schema.h"

namespace gridserve::gateway {
namespace {

using ::testing::HasSubstr;

constexpr char kCreateOrganization[] = "/gridserve.membership.v1.OrganizationService/CreateOrganization";
constexpr char kVillage[] = "500114101201";

// Answers every unary call with its request bytes, counting the calls.
class EchoBackend final : public grpc::CallbackGenericService {
 public:
  std::atomic<int> calls{0};

  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext*) override {
    ++calls;
    return new Call();
  }

 private:
  class Call final : public grpc::ServerGenericBidiReactor {
   public:
    Call() { StartRead(&message_); }
    void OnReadDone(bool ok) override {
      if (ok) {
        StartWrite(&message_);
      } else {
        Finish(grpc::Status::OK);
      }
    }
    void OnWriteDone(bool ok) override {
      if (ok) StartRead(&message_);
    }
    void OnDone() override { delete this; }

   private:
    grpc::ByteBuffer message_;
  };
};

// One gateway: forwarding with `guard` in front of the echo backend
// ("membership") and of the internal server ("gateway").
struct Gateway {
  Gateway(CallGuard* guard, const TokenCodec& tokens, int backend_port, int internal_port)
      : peers({{"membership", "127.0.0.1:" + std::to_string(backend_port)},
               {"gateway", "127.0.0.1:" + std::to_string(internal_port)}}),
        forwarding(peers, tokens, guard) {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterCallbackGenericService(&forwarding);
    std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
    interceptors.push_back(MakeCallLogInterceptorFactory(&tokens));
    builder.experimental().SetInterceptorCreators(std::move(interceptors));
    server = builder.BuildAndStart();
    channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials());
  }
  ~Gateway() { server->Shutdown(std::chrono::system_clock::now()); }

  PeerChannels peers;
  ForwardingService forwarding;
  int port = 0;
  std::unique_ptr<grpc::Server> server;
  std::shared_ptr<grpc::Channel> channel;
};

class AuditE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(tokens_.ok()) << tokens_.status();
    absl::StatusOr<gridserve::testing::TestSchema> schema =
        gridserve::testing::MakeTestSchema("gateway_audit_e2e", sql::Migrations(), sql::Queries());
    ASSERT_TRUE(schema.ok()) << schema.status();
    schema_ = std::move(schema).value();
    store_ = std::make_unique<PgAuditStore>(*schema_.pool);
    audit_log_ = std::make_unique<AuditLog>(*store_);
    audit_service_ = std::make_unique<AuditService>(*store_, *tokens_);

    grpc::EnableDefaultHealthCheckService(true);  // the gateway checks its backends' health
    grpc::ServerBuilder backend;
    backend.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &backend_port_);
    backend.RegisterCallbackGenericService(&echo_);
    backend_server_ = backend.BuildAndStart();
    ASSERT_NE(backend_port_, 0);

    grpc::ServerBuilder internal;
    internal.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &internal_port_);
    internal.RegisterService(audit_service_.get());
    internal_server_ = internal.BuildAndStart();
    ASSERT_NE(internal_port_, 0);

    gateway_ = std::make_unique<Gateway>(audit_log_.get(), *tokens_, backend_port_, internal_port_);
    ASSERT_NE(gateway_->port, 0);
  }
  void TearDown() override {
    gateway_.reset();
    if (internal_server_) internal_server_->Shutdown(std::chrono::system_clock::now());
    if (backend_server_) backend_server_->Shutdown(std::chrono::system_clock::now());
  }

  std::string Token(const std::string& subject, const std::string& role, const std::string& scope) {
    return tokens_->Sign({.subject = subject,
                          .bindings = {{role, scope}},
                          .expires_at = absl::ToUnixSeconds(absl::Now() + absl::Hours(1))});
  }
  static void Prepare(grpc::ClientContext& context, const std::string& token) {
    if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  }

  grpc::Status CreateOrganization(const std::shared_ptr<grpc::Channel>& channel, const std::string& token,
                                  const std::string& request_id) {
    auto stub = membership::v1::OrganizationService::NewStub(channel);
    grpc::ClientContext context;
    Prepare(context, token);
    context.AddMetadata("x-request-id", request_id);
    membership::v1::CreateOrganizationRequest request;
    request.mutable_organization()->set_code(kVillage);
    request.mutable_organization()->set_display_name("村");
    membership::v1::CreateOrganizationResponse response;
    return stub->CreateOrganization(&context, request, &response);
  }

  absl::StatusOr<TokenCodec> tokens_ = TokenCodec::Create({std::string(32, 'k')});
  const std::string admin_ = Token("admin-1", "DISTRICT_ADMIN", "500114000000");
  const std::string auditor_ = Token("auditor-1", "AUDITOR", "500114000000");
  gridserve::testing::TestSchema schema_;
  std::unique_ptr<PgAuditStore> store_;
  std::unique_ptr<AuditLog> audit_log_;
  std::unique_ptr<AuditService> audit_service_;
  EchoBackend echo_;
  int backend_port_ = 0;
  std::unique_ptr<grpc::Server> backend_server_;
  int internal_port_ = 0;
  std::unique_ptr<grpc::Server> internal_server_;
  std::unique_ptr<Gateway> gateway_;
};

TEST_F(AuditE2eTest, AuditedWriteIsRecordedBeforeAndAfterAndListedForTheAuditor) {
  grpc::Status created = CreateOrganization(gateway_->channel, admin_, "req-create-1");
  ASSERT_TRUE(created.ok()) << created.error_message();
  EXPECT_EQ(echo_.calls.load(), 1);
  audit_log_->Flush();  // the FINISHED entry is written after the client got its answer

  auto audit = v1::AuditService::NewStub(gateway_->channel);
  grpc::ClientContext list_context;
  Prepare(list_context, auditor_);
  v1::ListAuditEntriesRequest list;
  list.set_resource_prefix("500114101");
  v1::ListAuditEntriesResponse entries;
  grpc::Status listed = audit->ListAuditEntries(&list_context, list, &entries);
  ASSERT_TRUE(listed.ok()) << listed.error_message();
  ASSERT_EQ(entries.entries_size(), 2);
  const v1::AuditEntry& finished = entries.entries(0);  // newest first
  const v1::AuditEntry& started = entries.entries(1);
  EXPECT_EQ(started.sequence(), 1);
  EXPECT_EQ(started.phase(), v1::AUDIT_PHASE_STARTED);
  EXPECT_EQ(started.result_code(), "");
  EXPECT_EQ(finished.sequence(), 2);
  EXPECT_EQ(finished.phase(), v1::AUDIT_PHASE_FINISHED);
  EXPECT_EQ(finished.result_code(), "OK");
  for (const v1::AuditEntry& entry : {started, finished}) {
    EXPECT_EQ(entry.kind(), v1::AUDIT_KIND_WRITE);
    EXPECT_EQ(entry.method(), kCreateOrganization);
    EXPECT_EQ(entry.resource(), kVillage) << "the value of organization.code";
    EXPECT_EQ(entry.subject(), "admin-1");
    EXPECT_EQ(entry.roles(), "DISTRICT_ADMIN@500114000000");
    EXPECT_EQ(entry.request_id(), "req-create-1");
    EXPECT_TRUE(absl::StartsWith(entry.client_address(), "ipv4:127.0.0.1:") ||
                absl::StartsWith(entry.client_address(), "ipv6:"))
        << entry.client_address();
    EXPECT_GT(entry.time().seconds(), 0);
    EXPECT_EQ(entry.hash().size(), 64u);
  }
  EXPECT_EQ(started.previous_hash(), kGenesisHash);
  EXPECT_EQ(finished.previous_hash(), started.hash());

  grpc::ClientContext verify_context;
  Prepare(verify_context, auditor_);
  v1::VerifyAuditChainResponse report;
  grpc::Status verified = audit->VerifyAuditChain(&verify_context, v1::VerifyAuditChainRequest(), &report);
  ASSERT_TRUE(verified.ok()) << verified.error_message();
  EXPECT_TRUE(report.intact()) << report.problem();
  EXPECT_EQ(report.entries_checked(), 2);
  EXPECT_EQ(report.first_broken_sequence(), 0);
}

TEST_F(AuditE2eTest, ModifiedRowIsReportedThroughTheGateway) {
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(CreateOrganization(gateway_->channel, admin_, "req-" + std::to_string(i)).ok());
  audit_log_->Flush();
  ASSERT_TRUE(schema_
                  .Execute("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only; "
                           "UPDATE audit_entries SET subject = 'someone-else' WHERE sequence = 5; "
                           "ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_append_only")
                  .ok());
  auto audit = v1::AuditService::NewStub(gateway_->channel);
  grpc::ClientContext context;
  Prepare(context, auditor_);
  v1::VerifyAuditChainResponse report;
  ASSERT_TRUE(audit->VerifyAuditChain(&context, v1::VerifyAuditChainRequest(), &report).ok());
  EXPECT_FALSE(report.intact());
  EXPECT_EQ(report.first_broken_sequence(), 5);
  EXPECT_EQ(report.entries_checked(), 4);
  EXPECT_THAT(report.problem(), HasSubstr("entry 5 was modified"));
}

TEST_F(AuditE2eTest, CallIsRefusedAndNeverForwardedWhenTheAuditLogIsDown) {
  PgPool down(PgPool::Options{.url = "host=/nonexistent-gridserve-socket-dir dbname=gridserve user=postgres",
                              .schema = schema_.name,
                              .application_name = "gridserve-test",
                              .queries = sql::Queries()});
  down.MarkReady();
  PgAuditStore down_store(down);
  AuditLog down_log(down_store, {.write_timeout = absl::Seconds(3)});
  Gateway gateway(&down_log, *tokens_, backend_port_, internal_port_);

  grpc::Status refused = CreateOrganization(gateway.channel, admin_, "req-refused");
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(refused.error_message(), "audit log unavailable; the call was not forwarded — retry later");
  EXPECT_EQ(echo_.calls.load(), 0) << "the backend never saw the call";

  // Calls that are not audited still go through (an empty request echoes as an empty response).
  auto organizations = membership::v1::OrganizationService::NewStub(gateway.channel);
  grpc::ClientContext context;
  Prepare(context, admin_);
  membership::v1::GetOrganizationResponse response;
  grpc::Status read = organizations->GetOrganization(&context, membership::v1::GetOrganizationRequest(), &response);
  EXPECT_TRUE(read.ok()) << read.error_message();
  EXPECT_EQ(echo_.calls.load(), 1);
}

TEST_F(AuditE2eTest, OnlyAuditorsReadTheLog) {
  auto through_gateway = v1::AuditService::NewStub(gateway_->channel);
  grpc::ClientContext admin_context;
  Prepare(admin_context, admin_);
  v1::ListAuditEntriesResponse response;
  grpc::Status status = through_gateway->ListAuditEntries(&admin_context, v1::ListAuditEntriesRequest(), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << "refused by the gateway's table";

  // The service checks the token itself, for calls that bypass the gateway.
  auto direct = v1::AuditService::NewStub(
      grpc::CreateChannel("127.0.0.1:" + std::to_string(internal_port_), grpc::InsecureChannelCredentials()));
  grpc::ClientContext anonymous;
  Prepare(anonymous, "");
  v1::VerifyAuditChainResponse report;
  EXPECT_EQ(direct->VerifyAuditChain(&anonymous, v1::VerifyAuditChainRequest(), &report).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  grpc::ClientContext admin_direct;
  Prepare(admin_direct, admin_);
  status = direct->VerifyAuditChain(&admin_direct, v1::VerifyAuditChainRequest(), &report);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(status.error_message(), HasSubstr("AUDIT_READ"));
  grpc::ClientContext auditor_direct;
  Prepare(auditor_direct, auditor_);
  EXPECT_TRUE(direct->VerifyAuditChain(&auditor_direct, v1::VerifyAuditChainRequest(), &report).ok());
}

}  // namespace
}  // namespace gridserve::gateway
