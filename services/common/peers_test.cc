// Outbound calls made while serving a call: deadline, cancellation and trace
// headers carry over. Two in-process servers, no ports.
#include "common/peers.h"

#include "absl/time/clock.h"
#include "common/call_auth.h"
#include "gridserve/gateway/v1/auth.grpc.pb.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"

namespace gridserve {
namespace {

using gateway::v1::AuthService;
using gateway::v1::WhoAmIRequest;
using gateway::v1::WhoAmIResponse;

// The downstream peer: reports what arrived (headers in subject, remaining
// deadline in milliseconds in expire_time.seconds).
class Downstream final : public AuthService::Service {
  grpc::Status WhoAmI(grpc::ServerContext* context, const WhoAmIRequest*, WhoAmIResponse* response) override {
    response->mutable_principal()->set_subject(ClientMetadata(*context, kAuthorizationHeader) + "|" +
                                               ClientMetadata(*context, kRequestIdHeader) + "|" +
                                               ClientMetadata(*context, kTraceparentHeader));
    response->mutable_principal()->mutable_expire_time()->set_seconds(
        absl::ToInt64Milliseconds(absl::FromChrono(context->deadline()) - absl::Now()));
    return grpc::Status::OK;
  }
};

// The service under test: calls Downstream with OutboundContext(max 1 s).
class Upstream final : public AuthService::Service {
 public:
  explicit Upstream(std::shared_ptr<grpc::Channel> channel) : stub_(AuthService::NewStub(channel)) {}
  grpc::Status WhoAmI(grpc::ServerContext* context, const WhoAmIRequest* request, WhoAmIResponse* response) override {
    auto outbound = OutboundContext(*context, absl::Seconds(1));
    return stub_->WhoAmI(outbound.get(), *request, response);
  }

 private:
  std::unique_ptr<AuthService::Stub> stub_;
};

class OutboundContextTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder downstream_builder;
    downstream_builder.RegisterService(&downstream_);
    downstream_server_ = downstream_builder.BuildAndStart();
    upstream_ = std::make_unique<Upstream>(downstream_server_->InProcessChannel(grpc::ChannelArguments()));
    grpc::ServerBuilder upstream_builder;
    upstream_builder.RegisterService(upstream_.get());
    upstream_server_ = upstream_builder.BuildAndStart();
    stub_ = AuthService::NewStub(upstream_server_->InProcessChannel(grpc::ChannelArguments()));
  }
  void TearDown() override {
    upstream_server_->Shutdown();
    downstream_server_->Shutdown();
  }
  WhoAmIResponse Call(absl::Duration timeout, bool with_headers) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
    if (with_headers) {
      context.AddMetadata("authorization", "Bearer t");
      context.AddMetadata("x-request-id", "r1");
      context.AddMetadata("traceparent", "00-abc-def-01");
      context.AddMetadata("x-other", "not passed");
    }
    WhoAmIResponse response;
    grpc::Status status = stub_->WhoAmI(&context, {}, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }
  static int64_t RemainingMs(const WhoAmIResponse& response) { return response.principal().expire_time().seconds(); }

  Downstream downstream_;
  std::unique_ptr<grpc::Server> downstream_server_;
  std::unique_ptr<Upstream> upstream_;
  std::unique_ptr<grpc::Server> upstream_server_;
  std::unique_ptr<AuthService::Stub> stub_;
};

TEST_F(OutboundContextTest, PassesOnCredentialsRequestIdAndTraceparent) {
  EXPECT_EQ(Call(absl::Seconds(5), true).principal().subject(), "Bearer t|r1|00-abc-def-01");
}

TEST_F(OutboundContextTest, CapsALongIncomingDeadline) {
  int64_t remaining = RemainingMs(Call(absl::Seconds(30), false));
  EXPECT_GT(remaining, 0);
  EXPECT_LE(remaining, 1000);
}

TEST_F(OutboundContextTest, KeepsAShorterIncomingDeadline) {
  int64_t remaining = RemainingMs(Call(absl::Milliseconds(300), false));
  EXPECT_GT(remaining, 0);
  EXPECT_LE(remaining, 300);
}

TEST(PeerChannelsTest, UnknownPeerNamesTheMissingFlagEntry) {
  PeerChannels peers(std::map<std::string, std::string>{{"membership", "127.0.0.1:1"}});
  EXPECT_TRUE(peers.Get("membership").ok());
  absl::Status status = peers.Get("evaluation").status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(status.message().find("--peers"), absl::string_view::npos);
}

// Issue 8: one address resolves by DNS (every replica behind a headless
// Service); several IP addresses of one peer form a static list.
TEST(ParsePeersTest, OneAddressResolvesByDnsSeveralFormAList) {
  absl::StatusOr<std::map<std::string, std::string>> peers =
      ParsePeers("membership=127.0.0.1:5001,membership=127.0.0.1:5002,evaluation=evaluation:50064,"
                 "grid_assignment=dns:///grid-assignment:50062, gateway=[::1]:7,gateway=[::1]:8");
  ASSERT_TRUE(peers.ok()) << peers.status();
  EXPECT_EQ(peers->at("membership"), "ipv4:127.0.0.1:5001,127.0.0.1:5002");
  EXPECT_EQ(peers->at("evaluation"), "dns:///evaluation:50064");
  EXPECT_EQ(peers->at("grid_assignment"), "dns:///grid-assignment:50062");
  EXPECT_EQ(peers->at("gateway"), "ipv6:[::1]:7,[::1]:8");
  EXPECT_TRUE(ParsePeers("").ok());
}

TEST(ParsePeersTest, RefusesWhatCannotBeOneTarget) {
  for (const char* bad : {"membership", "membership=", "=a:1", "membership=nohostport",
                          "membership=a.example:1,membership=b.example:1", "membership=127.0.0.1:1,membership=[::1]:2",
                          "membership=dns:///a:1,membership=dns:///b:1"}) {
    absl::StatusOr<std::map<std::string, std::string>> peers = ParsePeers(bad);
    EXPECT_EQ(peers.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(peers.status().message().find("--peers"), absl::string_view::npos) << bad;
  }
}

}  // namespace
}  // namespace gridserve
