// The gateway's generic forwarding over real loopback sockets: a gateway
// server in front of an echo backend, called with gRPC's generic client.
#include <atomic>
#include <future>

#include "absl/time/clock.h"
#include "common/call_log.h"
#include "common/token.h"
#include "gateway/forwarding_service.h"
#include "gridserve/membership/v1/member.pb.h"
#include "gridserve/membership/v1/organization.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"

namespace gridserve::gateway {
namespace {

std::string ToString(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  (void)buffer.Dump(&slices);
  std::string text;
  for (const auto& slice : slices) text.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  return text;
}

grpc::ByteBuffer FromString(const std::string& text) {
  grpc::Slice slice(text);
  return grpc::ByteBuffer(&slice, 1);
}

// Echoes every message; reports forwarded metadata and the remaining deadline
// in trailing metadata. Method ".../Fail" fails with details; ".../Hang"
// waits to be cancelled.
class EchoBackend final : public grpc::CallbackGenericService {
 public:
  std::atomic<int> calls{0};
  std::promise<void> hang_cancelled;

  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext* context) override {
    ++calls;
    return new Call(this, context);
  }

 private:
  class Call final : public grpc::ServerGenericBidiReactor {
   public:
    Call(EchoBackend* backend, grpc::GenericCallbackServerContext* context) : backend_(backend), context_(context) {
      const std::string& method = context->method();
      if (method.ends_with("/Fail")) {
        Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "bad field", "details-bytes"));
        return;
      }
      hang_ = method.ends_with("/Hang");
      for (const char* key : {"x-custom", "x-request-id", "traceparent", "authorization"}) {
        auto it = context->client_metadata().find(key);
        if (it != context->client_metadata().end()) {
          context->AddTrailingMetadata(std::string("echo-") + key, std::string(it->second.data(), it->second.size()));
        }
      }
      auto remaining = context->deadline() - std::chrono::system_clock::now();
      context->AddTrailingMetadata("echo-deadline-ms",
                                   std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(remaining).count()));
      StartRead(&message_);
    }
    void OnReadDone(bool ok) override {
      if (ok && !hang_) {
        StartWrite(&message_);
      } else if (!hang_) {
        Finish(grpc::Status::OK);
      }
    }
    void OnWriteDone(bool ok) override {
      if (ok) StartRead(&message_);
    }
    void OnCancel() override {
      if (hang_) {
        backend_->hang_cancelled.set_value();
        Finish(grpc::Status::CANCELLED);
      }
    }
    void OnDone() override { delete this; }

   private:
    EchoBackend* backend_;
    grpc::GenericCallbackServerContext* context_;
    grpc::ByteBuffer message_;
    bool hang_ = false;
  };
};

// A generic call driven step by step on a completion queue.
class BlockingCall {
 public:
  BlockingCall(grpc::GenericStub& stub, const std::string& method, grpc::ClientContext* context) {
    call_ = stub.PrepareCall(context, method, &queue_);
    call_->StartCall(this);
    Await();
  }
  ~BlockingCall() {
    queue_.Shutdown();
    void* tag;
    bool ok;
    while (queue_.Next(&tag, &ok)) {
    }
  }
  bool Write(const std::string& text) {
    grpc::ByteBuffer buffer = FromString(text);
    call_->Write(buffer, this);
    return Await();
  }
  bool WritesDone() {
    call_->WritesDone(this);
    return Await();
  }
  std::optional<std::string> Read() {
    grpc::ByteBuffer buffer;
    call_->Read(&buffer, this);
    if (!Await()) return std::nullopt;
    return ToString(buffer);
  }
  grpc::Status Finish() {
    grpc::Status status;
    call_->Finish(&status, this);
    Await();
    return status;
  }

 private:
  bool Await() {
    void* tag;
    bool ok = false;
    queue_.Next(&tag, &ok);
    return ok;
  }
  grpc::CompletionQueue queue_;
  std::unique_ptr<grpc::GenericClientAsyncReaderWriter> call_;
};

// `tokens`: install the call-log interceptor as RunServer does (it adds
// missing x-request-id and traceparent headers).
// The method rules of these tests.
const MethodRule* TestRules(absl::string_view method) {
  static const auto* rules = new std::map<std::string, MethodRule, std::less<>>{
      {"/gridserve.membership.v1.OrganizationService/GetOrganization", {Permission::kOrgRead, AuditKind::kNone, ""}},
      {"/gridserve.membership.v1.OrganizationService/CreateOrganization",
       {Permission::kOrgWrite, AuditKind::kWrite, "organization.code"}},
      {"/gridserve.membership.v1.AnyService/Stream",
       {.permission = Permission::kOrgRead, .client_streaming = true, .server_streaming = true}},
      {"/gridserve.membership.v1.MemberService/ImportMembers",
       {.permission = Permission::kMemberWrite,
        .audit = AuditKind::kWrite,
        .resource_field = "header.org_code",
        .client_streaming = true,
        .server_streaming = true}},
      {"/gridserve.membership.v1.AnyService/Fail", {Permission::kOrgRead, AuditKind::kNone, ""}},
      {"/gridserve.membership.v1.AnyService/Hang", {Permission::kOrgRead, AuditKind::kNone, ""}},
      {"/gridserve.membership.v1.AnyService/Public", {Permission::kPublic, AuditKind::kNone, ""}},
      {"/gridserve.evaluation.v1.EvaluationPolicyService/GetEvaluationPolicy",
       {Permission::kPolicyRead, AuditKind::kNone, ""}},
      {"/gridserve.unknown.v1.Nope/Call", {Permission::kOrgRead, AuditKind::kNone, ""}},
  };
  auto it = rules->find(method);
  return it == rules->end() ? nullptr : &it->second;
}

// Records what the gateway asks of its guard; refuses when told to.
class RecordingGuard final : public CallGuard {
 public:
  void Admit(const GuardedCall& call, Admission done) override {
    absl::Status answer;
    {
      std::lock_guard lock(mutex);
      admitted.push_back(call);
      answer = refusal;
    }
    done(answer);  // inline, as a full queue's refusal is
  }
  void Finished(const GuardedCall& call, const grpc::Status& status) override {
    std::lock_guard lock(mutex);
    finished.push_back(status.error_code());
  }
  std::mutex mutex;
  absl::Status refusal;
  std::vector<GuardedCall> admitted;
  std::vector<grpc::StatusCode> finished;
};

std::unique_ptr<grpc::Server> StartServer(grpc::CallbackGenericService* service, int* port,
                                          const TokenCodec* tokens = nullptr) {
  // The gateway checks its backends' health (grpc.health.v1): the echo
  // backend answers it as SERVING, like a real one, instead of echoing.
  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), port);
  builder.RegisterCallbackGenericService(service);
  if (tokens != nullptr) {
    std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
    interceptors.push_back(MakeCallLogInterceptorFactory(tokens));
    builder.experimental().SetInterceptorCreators(std::move(interceptors));
  }
  return builder.BuildAndStart();
}

class ForwardingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    int backend_port = 0;
    backend_server_ = StartServer(&backend_, &backend_port);
    ASSERT_NE(backend_port, 0);
    peers_ = std::make_unique<PeerChannels>(std::map<std::string, std::string>{
        {"membership", "127.0.0.1:" + std::to_string(backend_port)}, {"evaluation", "127.0.0.1:1"}});
    forwarding_ = std::make_unique<ForwardingService>(*peers_, *tokens_, &guard_, Admission{}, TestRules);
    int gateway_port = 0;
    gateway_server_ = StartServer(forwarding_.get(), &gateway_port, &*tokens_);
    ASSERT_NE(gateway_port, 0);
    stub_ = std::make_unique<grpc::GenericStub>(
        grpc::CreateChannel("127.0.0.1:" + std::to_string(gateway_port), grpc::InsecureChannelCredentials()));
    token_ = tokens_->Sign({.subject = "tester",
                            .bindings = {{"DISTRICT_ADMIN", "500114000000"}},
                            .expires_at = absl::ToUnixSeconds(absl::Now() + absl::Hours(1))});
  }
  void TearDown() override {
    gateway_server_->Shutdown(std::chrono::system_clock::now());
    backend_server_->Shutdown(std::chrono::system_clock::now());
  }
  void Authorize(grpc::ClientContext& context, absl::Duration timeout = absl::Seconds(5)) {
    context.AddMetadata("authorization", "Bearer " + token_);
    context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  }
  static std::string Trailer(grpc::ClientContext& context, const std::string& key) {
    const auto& trailers = context.GetServerTrailingMetadata();
    auto it = trailers.find(key);
    return it == trailers.end() ? "" : std::string(it->second.data(), it->second.size());
  }

  absl::StatusOr<TokenCodec> tokens_ = TokenCodec::Create({std::string(32, 'k')});
  RecordingGuard guard_;
  EchoBackend backend_;
  std::unique_ptr<grpc::Server> backend_server_;
  std::unique_ptr<PeerChannels> peers_;
  std::unique_ptr<ForwardingService> forwarding_;
  std::unique_ptr<grpc::Server> gateway_server_;
  std::unique_ptr<grpc::GenericStub> stub_;
  std::string token_;
};

TEST_F(ForwardingTest, UnaryCallReachesBackendWithMetadataAndDeadline) {
  grpc::ClientContext context;
  Authorize(context, absl::Seconds(3));
  context.AddMetadata("x-custom", "kept");
  BlockingCall call(*stub_, "/gridserve.membership.v1.OrganizationService/GetOrganization", &context);
  ASSERT_TRUE(call.Write("hello"));
  ASSERT_TRUE(call.WritesDone());
  EXPECT_EQ(call.Read(), "hello");
  EXPECT_EQ(call.Read(), std::nullopt);
  ASSERT_TRUE(call.Finish().ok());
  EXPECT_EQ(Trailer(context, "echo-x-custom"), "kept");
  EXPECT_EQ(Trailer(context, "echo-authorization"), "Bearer " + token_);
  EXPECT_EQ(Trailer(context, "echo-x-request-id").size(), 32u) << "a request id is added when the client sent none";
  EXPECT_TRUE(Trailer(context, "echo-traceparent").starts_with("00-"));
  int deadline_ms = std::stoi(Trailer(context, "echo-deadline-ms"));
  EXPECT_GT(deadline_ms, 0);
  // grpc-timeout is rounded up on the wire; without propagation it would be unbounded.
  EXPECT_LE(deadline_ms, 3100) << "the client's deadline is passed on";
}

TEST_F(ForwardingTest, EmptyMessagesAreForwardedAsMessages) {
  grpc::ClientContext context;
  Authorize(context);
  BlockingCall call(*stub_, "/gridserve.membership.v1.OrganizationService/GetOrganization", &context);
  ASSERT_TRUE(call.Write(""));
  ASSERT_TRUE(call.WritesDone());
  EXPECT_EQ(call.Read(), "") << "an empty request arrives as one (empty) message and is echoed";
  EXPECT_EQ(call.Read(), std::nullopt);
  EXPECT_TRUE(call.Finish().ok());
}

TEST_F(ForwardingTest, ClientRequestIdIsKept) {
  grpc::ClientContext context;
  Authorize(context);
  context.AddMetadata("x-request-id", "req-42");
  BlockingCall call(*stub_, "/gridserve.membership.v1.OrganizationService/GetOrganization", &context);
  ASSERT_TRUE(call.Write("x"));
  ASSERT_TRUE(call.WritesDone());
  EXPECT_EQ(call.Read(), "x");
  ASSERT_TRUE(call.Finish().ok());
  EXPECT_EQ(Trailer(context, "echo-x-request-id"), "req-42");
}

// A unary method's call must carry its request; without one the gateway
// answers itself and the backend never hears of it.
TEST_F(ForwardingTest, UnaryCallWithoutItsRequestIsInvalid) {
  grpc::ClientContext context;
  Authorize(context);
  BlockingCall call(*stub_, "/gridserve.membership.v1.OrganizationService/GetOrganization", &context);
  ASSERT_TRUE(call.WritesDone());
  EXPECT_EQ(call.Finish().error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(backend_.calls.load(), 0);
}

TEST_F(ForwardingTest, BidiStreamIsForwardedMessageByMessage) {
  grpc::ClientContext context;
  Authorize(context);
  BlockingCall call(*stub_, "/gridserve.membership.v1.AnyService/Stream", &context);
  for (const std::string message : {"one", "two", "three"}) {
    ASSERT_TRUE(call.Write(message));
    EXPECT_EQ(call.Read(), message);
  }
  ASSERT_TRUE(call.WritesDone());
  EXPECT_EQ(call.Read(), std::nullopt);
  EXPECT_TRUE(call.Finish().ok());
}

TEST_F(ForwardingTest, BackendErrorAndDetailsPassThrough) {
  grpc::ClientContext context;
  Authorize(context);
  BlockingCall call(*stub_, "/gridserve.membership.v1.AnyService/Fail", &context);
  call.Write("x");
  call.WritesDone();
  grpc::Status status = call.Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "bad field");
  EXPECT_EQ(status.error_details(), "details-bytes");
}

TEST_F(ForwardingTest, CancellationReachesBackend) {
  auto cancelled = backend_.hang_cancelled.get_future();
  grpc::ClientContext context;
  Authorize(context);
  {
    BlockingCall call(*stub_, "/gridserve.membership.v1.AnyService/Hang", &context);
    ASSERT_TRUE(call.Write("wait"));
    absl::SleepFor(absl::Milliseconds(100));
    context.TryCancel();
    EXPECT_EQ(call.Finish().error_code(), grpc::StatusCode::CANCELLED);
  }
  EXPECT_EQ(cancelled.wait_for(std::chrono::seconds(5)), std::future_status::ready);
}

TEST_F(ForwardingTest, DownBackendIsUnavailableAndNamed) {
  grpc::ClientContext context;
  Authorize(context);
  BlockingCall call(*stub_, "/gridserve.evaluation.v1.EvaluationPolicyService/GetEvaluationPolicy", &context);
  call.Write("x");
  call.WritesDone();
  grpc::Status status = call.Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_NE(status.error_message().find("backend 'evaluation'"), std::string::npos) << status.error_message();
}

TEST_F(ForwardingTest, MissingTokenIsRejectedBeforeForwarding) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  BlockingCall call(*stub_, "/gridserve.membership.v1.OrganizationService/GetOrganization", &context);
  call.WritesDone();
  EXPECT_EQ(call.Finish().error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(backend_.calls.load(), 0);
}

TEST_F(ForwardingTest, UnknownServiceIsUnimplemented) {
  grpc::ClientContext context;
  Authorize(context);
  BlockingCall call(*stub_, "/gridserve.unknown.v1.Nope/Call", &context);
  call.WritesDone();
  EXPECT_EQ(call.Finish().error_code(), grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_EQ(backend_.calls.load(), 0);
}

// Issue 8: a method that no descriptor declares is UNIMPLEMENTED, as any gRPC
// server answers, not PERMISSION_DENIED (which would send an engineer looking for a role).
TEST_F(ForwardingTest, UndeclaredMethodIsUnimplemented) {
  grpc::ClientContext context;
  Authorize(context);
  BlockingCall call(*stub_, "/gridserve.membership.v1.OrganizationService/DeleteOrganization", &context);
  call.WritesDone();
  grpc::Status status = call.Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_NE(status.error_message().find("not served here"), std::string::npos) << status.error_message();
  EXPECT_EQ(backend_.calls.load(), 0);
}

TEST_F(ForwardingTest, RoleWithoutThePermissionIsRefused) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  std::string rater = tokens_->Sign({.subject = "rater",
                                     .bindings = {{"RATER", "500114101201"}},
                                     .expires_at = absl::ToUnixSeconds(absl::Now() + absl::Hours(1))});
  context.AddMetadata("authorization", "Bearer " + rater);
  BlockingCall call(*stub_, "/gridserve.membership.v1.OrganizationService/GetOrganization", &context);
  call.WritesDone();
  grpc::Status status = call.Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(status.error_message().find("ORG_READ"), std::string::npos) << status.error_message();
  EXPECT_EQ(backend_.calls.load(), 0);
}

TEST_F(ForwardingTest, PublicMethodNeedsNoToken) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  BlockingCall call(*stub_, "/gridserve.membership.v1.AnyService/Public", &context);
  ASSERT_TRUE(call.Write("open"));
  ASSERT_TRUE(call.WritesDone());
  EXPECT_EQ(call.Read(), "open");
  EXPECT_TRUE(call.Finish().ok());
}

std::string CreateRequestBytes(const std::string& code) {
  membership::v1::CreateOrganizationRequest request;
  request.mutable_organization()->set_code(code);
  return request.SerializeAsString();
}

std::string ImportHeaderBytes(const std::string& org_code) {
  membership::v1::ImportMembersRequest request;
  request.mutable_header()->set_org_code(org_code);
  return request.SerializeAsString();
}

TEST_F(ForwardingTest, AuditedCallPassesTheGuardWithItsResourceAndOutcome) {
  grpc::ClientContext context;
  Authorize(context);
  BlockingCall call(*stub_, "/gridserve.membership.v1.OrganizationService/CreateOrganization", &context);
  std::string request = CreateRequestBytes("500114101201");
  ASSERT_TRUE(call.Write(request));
  ASSERT_TRUE(call.WritesDone());
  EXPECT_EQ(call.Read(), request);
  EXPECT_TRUE(call.Finish().ok());
  std::lock_guard lock(guard_.mutex);
  ASSERT_EQ(guard_.admitted.size(), 1u);
  EXPECT_EQ(guard_.admitted[0].resource, "500114101201") << "read from organization.code";
  EXPECT_EQ(guard_.admitted[0].principal.subject, "tester");
  EXPECT_EQ(guard_.admitted[0].request_id.size(), 32u);
  EXPECT_THAT(guard_.finished, ::testing::ElementsAre(grpc::StatusCode::OK));
}

TEST_F(ForwardingTest, GuardRefusalStopsTheCallBeforeTheBackend) {
  guard_.refusal = absl::UnavailableError("audit log unavailable; the write was not attempted");
  grpc::ClientContext context;
  Authorize(context);
  BlockingCall call(*stub_, "/gridserve.membership.v1.OrganizationService/CreateOrganization", &context);
  call.Write(CreateRequestBytes("500114101201"));
  call.WritesDone();
  grpc::Status status = call.Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(status.error_message(), "audit log unavailable; the write was not attempted");
  EXPECT_EQ(backend_.calls.load(), 0);
}

TEST_F(ForwardingTest, UnauditedCallsSkipTheGuard) {
  grpc::ClientContext context;
  Authorize(context);
  BlockingCall call(*stub_, "/gridserve.membership.v1.OrganizationService/GetOrganization", &context);
  call.Write("x");
  call.WritesDone();
  EXPECT_EQ(call.Read(), "x");
  EXPECT_TRUE(call.Finish().ok());
  std::lock_guard lock(guard_.mutex);
  EXPECT_TRUE(guard_.admitted.empty());
}

// Streaming calls pass the guard too, with the resource of their first message.
TEST_F(ForwardingTest, AuditedStreamPassesTheGuardWithItsFirstMessage) {
  grpc::ClientContext context;
  Authorize(context);
  BlockingCall call(*stub_, "/gridserve.membership.v1.MemberService/ImportMembers", &context);
  std::string first = ImportHeaderBytes("500114101202");
  ASSERT_TRUE(call.Write(first));
  EXPECT_EQ(call.Read(), first);
  ASSERT_TRUE(call.Write("second"));
  EXPECT_EQ(call.Read(), "second");
  ASSERT_TRUE(call.WritesDone());
  EXPECT_TRUE(call.Finish().ok());
  std::lock_guard lock(guard_.mutex);
  ASSERT_EQ(guard_.admitted.size(), 1u);
  EXPECT_EQ(guard_.admitted[0].resource, "500114101202");
  EXPECT_THAT(guard_.finished, ::testing::ElementsAre(grpc::StatusCode::OK));
}

TEST_F(ForwardingTest, GuardRefusalStopsAStreamBeforeTheBackend) {
  guard_.refusal = absl::UnavailableError("the audit log is behind; retry in 1s");
  grpc::ClientContext context;
  Authorize(context);
  BlockingCall call(*stub_, "/gridserve.membership.v1.MemberService/ImportMembers", &context);
  call.Write(ImportHeaderBytes("500114101202"));
  grpc::Status status = call.Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(backend_.calls.load(), 0);
}

}  // namespace
}  // namespace gridserve::gateway
