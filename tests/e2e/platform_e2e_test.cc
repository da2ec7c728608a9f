// The platform under the services (issue 8), as real processes on loopback:
//  - calls through the gateway spread over two replicas of membership, and a
//    replica stopped (or killed) under load costs no call;
//  - a call without a deadline, and a client stream that stalls, both end;
//  - a permanent start-up error stops a process with one line and code 2.
// The stack runs membership twice; the gateway caps every call at 3 s and
// membership ends a client stream after 2 s of silence (operator flags that
// lower the timeouts the protos declare).
#include <signal.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/files.h"
#include "gmock/gmock.h"
#include "gridserve/membership/v1/member.grpc.pb.h"
#include "gridserve/membership/v1/organization.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "tools/devstack/stack.h"
#include "tools/devstack/subprocess.h"

namespace gridserve {
namespace {

namespace v1 = membership::v1;
using ::testing::HasSubstr;

constexpr char kListMethod[] = "\"method\":\"/gridserve.membership.v1.OrganizationService/ListOrganizations\"";

std::string ReadAll(const std::string& path) { return ReadFile(path).value_or(""); }

// True once the process is stopped (state T in /proc/<pid>/stat): a signal
// takes effect when the kernel next schedules the process, not at kill().
bool Stopped(int pid) {
  for (absl::Time end = absl::Now() + absl::Seconds(5); absl::Now() < end; absl::SleepFor(absl::Milliseconds(5))) {
    std::string stat = ReadAll(absl::StrCat("/proc/", pid, "/stat"));
    size_t close = stat.rfind(')');
    if (close != std::string::npos && close + 2 < stat.size() && stat[close + 2] == 'T') return true;
  }
  return false;
}

int CountOccurrences(const std::string& text, const std::string& needle) {
  int count = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++count;
  return count;
}

class PlatformTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    devstack::StackOptions options = devstack::TestStackOptions("gridserve-platform-e2e");
    options.gateway_tls = false;
    options.replicas = {{"membership", 2}};
    options.gateway_flags = {"--rate_limit_per_principal=0", "--rate_limit_per_address=0", "--max_call_seconds=3"};
    // As in the manifests: on SIGTERM a replica reports NOT_SERVING for a
    // while (here 1 s) before it stops taking calls.
    options.backend_flags = {{"membership", {"--max_stream_idle_seconds=2", "--drain_delay_ms=1000"}}};
    auto stack = devstack::Stack::Start(std::move(options));
    ASSERT_TRUE(stack.ok()) << stack.status();
    stack_ = std::move(*stack).release();
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    context.AddMetadata("authorization", "Bearer " + stack_->AdminToken());
    v1::CreateOrganizationRequest request;
    request.mutable_organization()->set_code("500114000000");
    request.mutable_organization()->set_kind(v1::ORGANIZATION_KIND_DISTRICT);
    request.mutable_organization()->set_display_name("黔江区");
    v1::CreateOrganizationResponse response;
    grpc::Status status = Organizations("gateway")->CreateOrganization(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  static void TearDownTestSuite() {
    delete stack_;
    stack_ = nullptr;
  }

  static std::unique_ptr<v1::OrganizationService::Stub> Organizations(const std::string& process) {
    return v1::OrganizationService::NewStub(
        grpc::CreateChannel(stack_->address(process), grpc::InsecureChannelCredentials()));
  }
  static grpc::Status ListTowns(v1::OrganizationService::Stub& stub, absl::Duration timeout = absl::Seconds(10)) {
    grpc::ClientContext context;
    if (timeout != absl::InfiniteDuration()) context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
    context.AddMetadata("authorization", "Bearer " + stack_->AdminToken());
    v1::ListOrganizationsRequest request;
    request.set_parent_code("500114000000");
    v1::ListOrganizationsResponse response;
    return stub.ListOrganizations(&context, request, &response);
  }
  static int ListCallsServedBy(const std::string& process) {
    return CountOccurrences(ReadAll(stack_->log_path(process)), kListMethod);
  }

  // `threads` callers through the gateway until `stop`; failures counted with one example.
  struct Load {
    std::atomic<bool> stop{false};
    std::atomic<int> calls{0};
    std::atomic<int> failures{0};
    std::mutex mutex;
    std::string first_failure;
    std::vector<std::thread> threads;

    void Start(int count) {
      for (int t = 0; t < count; ++t) {
        threads.emplace_back([this] {
          auto stub = Organizations("gateway");
          while (!stop) {
            grpc::Status status = ListTowns(*stub);
            ++calls;
            if (!status.ok()) {
              ++failures;
              std::lock_guard lock(mutex);
              if (first_failure.empty()) first_failure = absl::StrCat(static_cast<int>(status.error_code()), " ", status.error_message());
            }
          }
        });
      }
    }
    void Stop() {
      stop = true;
      for (std::thread& thread : threads) thread.join();
    }
  };

  // Waits until `process` serves list calls through the gateway again (its
  // count in the log grows), up to `timeout`.
  static bool ServesAgain(const std::string& process, absl::Duration timeout) {
    int before = ListCallsServedBy(process);
    auto stub = Organizations("gateway");
    for (absl::Time end = absl::Now() + timeout; absl::Now() < end;) {
      for (int i = 0; i < 10; ++i) (void)ListTowns(*stub);
      if (ListCallsServedBy(process) > before) return true;
      absl::SleepFor(absl::Milliseconds(100));
    }
    return false;
  }

  // 4 clients call through the gateway; after 0.8 s membership-2 gets
  // `signal`; 2.5 s later no call has failed; started again, it serves again.
  static void StopAReplicaUnderLoad(int signal) {
    Load load;
    load.Start(4);
    absl::SleepFor(absl::Milliseconds(800));
    ASSERT_TRUE(stack_->Signal("membership-2", signal).ok());
    absl::SleepFor(absl::Milliseconds(2500));
    load.Stop();
    EXPECT_GT(load.calls.load(), 50);
    EXPECT_EQ(load.failures.load(), 0) << load.first_failure;
    ASSERT_TRUE(stack_->StartProcess("membership-2").ok());
    EXPECT_TRUE(ServesAgain("membership-2", absl::Seconds(20)));
  }

  static inline devstack::Stack* stack_ = nullptr;
};

// Issue 8 deliverable 1: the gateway balances over every replica of a
// backend (round_robin over the addresses --peers gives it).
TEST_F(PlatformTest, CallsThroughTheGatewaySpreadOverBothReplicas) {
  // Once the gateway is connected to both (round_robin connects to every
  // address; the first calls may come before the second connection is up).
  ASSERT_TRUE(ServesAgain("membership", absl::Seconds(10)));
  ASSERT_TRUE(ServesAgain("membership-2", absl::Seconds(10)));
  int first = ListCallsServedBy("membership"), second = ListCallsServedBy("membership-2");
  auto stub = Organizations("gateway");
  for (int i = 0; i < 40; ++i) ASSERT_TRUE(ListTowns(*stub).ok());
  int served_first = ListCallsServedBy("membership") - first;
  int served_second = ListCallsServedBy("membership-2") - second;
  EXPECT_EQ(served_first + served_second, 40);
  EXPECT_GE(served_first, 10) << "round_robin: each replica gets about half";
  EXPECT_GE(served_second, 10) << "round_robin: each replica gets about half";
}

// Issue 8 deliverable 1: a replica that stops the way Kubernetes stops a pod
// (SIGTERM: NOT_SERVING for the drain delay, then the server drains its
// calls) while 4 clients call through the gateway costs no call: the
// gateway's health checks move new calls to the other replica, and its retry
// policy (UNAVAILABLE before an answer is tried again) covers the rest.
// Started again, the replica receives calls again.
TEST_F(PlatformTest, AReplicaStoppedUnderLoadCostsNoCall) { StopAReplicaUnderLoad(SIGTERM); }

// The same with SIGKILL: calls in flight at the killed replica fail at the
// transport, before any answer, and the retry policy sends them to the other.
TEST_F(PlatformTest, AReplicaKilledUnderLoadCostsNoRead) { StopAReplicaUnderLoad(SIGKILL); }

// Issue 8 deliverable 2: a call without a deadline to a backend that never
// answers (both replicas frozen) ends with DEADLINE_EXCEEDED at the cap.
TEST_F(PlatformTest, ACallWithoutADeadlineEnds) {
  auto stub = Organizations("gateway");
  ASSERT_TRUE(ListTowns(*stub).ok());
  for (const char* replica : {"membership", "membership-2"}) {
    ASSERT_TRUE(stack_->Signal(replica, SIGSTOP).ok());
    ASSERT_TRUE(Stopped(stack_->pid(replica))) << replica << " did not stop";
  }
  absl::Time start = absl::Now();
  grpc::Status status = ListTowns(*stub, absl::InfiniteDuration());
  absl::Duration took = absl::Now() - start;
  ASSERT_TRUE(stack_->Signal("membership", SIGCONT).ok());
  ASSERT_TRUE(stack_->Signal("membership-2", SIGCONT).ok());
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED) << status.error_message();
  EXPECT_GE(took, absl::Seconds(2.5));
  EXPECT_LT(took, absl::Seconds(10));
  EXPECT_TRUE(ListTowns(*stub).ok()) << "served again once the backend runs";
}

// Issue 8 deliverable 2: a client that opens the roster import, sends the
// header and then nothing (and no deadline) does not hold a server thread:
// after 2 s of silence the stream ends with DEADLINE_EXCEEDED, straight at
// membership and through the gateway.
TEST_F(PlatformTest, AStalledClientStreamEnds) {
  for (const std::string process : {"membership", "gateway"}) {
    auto stub = v1::MemberService::NewStub(grpc::CreateChannel(stack_->address(process), grpc::InsecureChannelCredentials()));
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + stack_->AdminToken());
    auto stream = stub->ImportMembers(&context);
    v1::ImportMembersRequest header;
    header.mutable_header()->set_org_code("500114000000");
    header.mutable_header()->set_dry_run(true);
    absl::Time start = absl::Now();
    ASSERT_TRUE(stream->Write(header));
    v1::ImportMembersResponse response;
    while (stream->Read(&response)) {
    }
    grpc::Status status = stream->Finish();
    absl::Duration took = absl::Now() - start;
    EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED) << process << ": " << status.error_message();
    EXPECT_THAT(status.error_message(), HasSubstr("nothing arrived from the client for 2s")) << process;
    EXPECT_GE(took, absl::Seconds(1.5)) << process;
    EXPECT_LT(took, absl::Seconds(10)) << process;
  }
}

// Issue 8 deliverable 4: an error that cannot go away by waiting stops the
// process with one line on stderr and exit code 2, instead of retrying.
TEST_F(PlatformTest, AnEditedMigrationStopsTheProcessWithOneLine) {
  const std::string schema = "edited_migration_test";
  ASSERT_TRUE(stack_->database()
                  .Execute(absl::StrCat("CREATE SCHEMA ", schema, "; CREATE TABLE ", schema,
                                        ".schema_migrations (name text PRIMARY KEY, checksum text NOT NULL, "
                                        "applied_at timestamptz NOT NULL DEFAULT now()); INSERT INTO ",
                                        schema, ".schema_migrations VALUES ('0001_organizations', 'not-its-checksum')"))
                  .ok());
  std::string log = stack_->log_path("edited-migration");
  auto process = devstack::Subprocess::Start(
      {std::string(std::getenv("GRIDSERVE_BUILD_DIR")) + "/services/membership/gridserve-membership",
       "--listen=127.0.0.1:0", "--database_url=" + stack_->database().Url(), "--database_schema=" + schema,
       "--token_key_file=" + stack_->token_key_file(), "--pii_key_file=" + stack_->pii_key_file()},
      {{"PATH", "/usr/bin:/bin"}}, log);
  ASSERT_TRUE(process.ok());
  absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (process->Running() && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(50));
  ASSERT_FALSE(process->Running()) << "still retrying:\n" << ReadAll(log);
  EXPECT_EQ(process->Wait(), 2);
  std::vector<std::string> lines = absl::StrSplit(ReadAll(log), '\n', absl::SkipEmpty());
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.back(), absl::StrCat("membership: migration 0001_organizations in schema ", schema,
                                       " was changed after it was applied; add a new migration instead of editing "
                                       "an old one"));
  for (const std::string& line : lines) EXPECT_THAT(line, ::testing::Not(HasSubstr("will retry")));
}

TEST_F(PlatformTest, ABadKeyFileStopsTheProcessWithOneLine) {
  std::string bad_key = stack_->log_path("bad-key") + ".key";
  std::ofstream(bad_key) << "not a key\n";
  for (const auto& [flag, expected] :
       std::vector<std::pair<std::string, std::string>>{{"--pii_key_file=", "pii_key_file"},
                                                        {"--token_key_file=", "token"}}) {
    std::vector<std::string> argv = {
        std::string(std::getenv("GRIDSERVE_BUILD_DIR")) + "/services/membership/gridserve-membership",
        "--listen=127.0.0.1:0", "--database_url=" + stack_->database().Url("membership"),
        "--token_key_file=" + stack_->token_key_file(), "--pii_key_file=" + stack_->pii_key_file()};
    argv.push_back(flag + bad_key);  // the later flag wins
    std::string log = stack_->log_path("bad-key-" + expected);
    auto process = devstack::Subprocess::Start(argv, {{"PATH", "/usr/bin:/bin"}}, log);
    ASSERT_TRUE(process.ok());
    EXPECT_EQ(process->Wait(), 2) << ReadAll(log);
    std::vector<std::string> lines = absl::StrSplit(ReadAll(log), '\n', absl::SkipEmpty());
    ASSERT_EQ(lines.size(), 1u) << ReadAll(log);
    EXPECT_THAT(lines[0], ::testing::StartsWith("membership: "));
    EXPECT_THAT(lines[0], HasSubstr(expected));
  }
}

}  // namespace
}  // namespace gridserve
