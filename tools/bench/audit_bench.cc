// audit_bench: what auditing costs a consuming system. Every write and every
// personal-data read through the gateway is recorded in the hash-chained audit
// log before it is forwarded; this measures the throughput that leaves. Starts
// the suite (throwaway database, free ports, rate limits off), registers 30
// members in one village, then runs tools/bench/audited_calls.cjs: a grpc-js
// client making CreateMember and ListMembers(page_size=20) calls in a closed
// loop with 8 and 32 concurrent callers (the registrations go to a second
// village so the listed one keeps its 30 members), through minimal_proxy (the
// floor of any forwarding hop) too, through the gateway and straight to
// membership in alternating rounds. Prints calls/s and the gateway/direct ratio.
//   audit_bench --build_dir=build --source_dir=. [--seconds=3] [--rounds=3] [--concurrency=8,32]
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/flags.h"
#include "gridserve/membership/v1/member.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "tools/bench/bench_support.h"
#include "tools/devstack/stack.h"
#include "tools/devstack/subprocess.h"

namespace gridserve::bench {
namespace {

namespace v1 = membership::v1;

constexpr char kListVillage[] = "500114101201";    // 30 members, listed
constexpr char kCreateVillage[] = "500114101202";  // members registered by the benchmark

absl::Status RegisterMembers(const devstack::Stack& stack, const std::string& token, int count) {
  auto stub = v1::MemberService::NewStub(grpc::CreateChannel(stack.address("membership"), grpc::InsecureChannelCredentials()));
  for (int i = 0; i < count; ++i) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    context.AddMetadata("authorization", "Bearer " + token);
    v1::CreateMemberRequest request;
    request.set_request_id(absl::StrCat("audit-bench-seed-", i));
    v1::Member* member = request.mutable_member();
    member->set_full_name(absl::StrCat("列表党员", i + 1));
    member->set_gender(i % 2 == 0 ? v1::GENDER_MALE : v1::GENDER_FEMALE);
    member->set_birth_month("1968-03");
    member->set_joined_date("1990-07-01");
    member->set_branch_code(kListVillage);
    v1::CreateMemberResponse response;
    grpc::Status status = stub->CreateMember(&context, request, &response);
    if (!status.ok()) return absl::InternalError(absl::StrCat("registering member ", i, ": ", status.error_message()));
  }
  return absl::OkStatus();
}

}  // namespace
}  // namespace gridserve::bench

int main(int argc, char** argv) {
  using namespace gridserve;
  using namespace gridserve::bench;
  Flags flags = BenchFlags();
  flags.Define("seconds", "3", "length of one timed round per target")
      .Define("rounds", "3", "timed rounds per target and concurrency")
      .Define("concurrency", "8,32", "concurrent callers, comma separated");
  if (absl::Status status = ParseBenchFlags(flags, argc, argv); !status.ok()) return Fail("audit_bench", status);
  if (!flags.GetInt("seconds", 1, 600).ok() || !flags.GetInt("rounds", 1, 100).ok()) {
    return Fail("audit_bench", absl::InvalidArgumentError("--seconds must be 1-600 and --rounds 1-100"));
  }
  std::string source_dir = flags.Get("source_dir");
  std::string state_dir = std::filesystem::temp_directory_path() / ("gridserve-audit-bench-" + std::to_string(getpid()));
  auto stack = devstack::Stack::Start({.state_dir = state_dir,
                                       .build_dir = flags.Get("build_dir"),
                                       .source_dir = source_dir,
                                       .gateway_tls = false,
                                       .gateway_flags = {"--rate_limit_per_principal=0", "--rate_limit_per_address=0"},
                                       .remove_state_dir = true});
  if (!stack.ok()) return Fail("audit_bench", stack.status());
  std::string token = (*stack)->AdminToken();
  auto organizations = membership::v1::OrganizationService::NewStub(
      grpc::CreateChannel((*stack)->address("membership"), grpc::InsecureChannelCredentials()));
  if (absl::Status created = CreateBenchmarkTown(*organizations, token); !created.ok()) return Fail("audit_bench", created);
  if (absl::Status registered = RegisterMembers(**stack, token, 30); !registered.ok()) return Fail("audit_bench", registered);

  absl::StatusOr<MinimalProxy> proxy =
      StartMinimalProxy(flags.Get("build_dir"), state_dir, (*stack)->address("membership"));
  if (!proxy.ok()) return Fail("audit_bench", proxy.status());
  const std::string proxy_address = proxy->address;

  std::map<std::string, std::string> env = devstack::CurrentEnvironment();
  env["BENCH_FLOOR_ADDRESS"] = proxy_address;
  env["NODE_PATH"] = source_dir + "/tools/node/node_modules";
  env["GRIDSERVE_GATEWAY_ADDRESS"] = (*stack)->address("gateway");
  env["GRIDSERVE_MEMBERSHIP_ADDRESS"] = (*stack)->address("membership");
  env["GRIDSERVE_ADMIN_TOKEN"] = token;
  env["GRIDSERVE_PROTO_DIR"] = source_dir + "/proto";
  env["BENCH_LIST_VILLAGE"] = kListVillage;
  env["BENCH_CREATE_VILLAGE"] = kCreateVillage;
  env["BENCH_SECONDS"] = flags.Get("seconds");
  env["BENCH_ROUNDS"] = flags.Get("rounds");
  env["BENCH_CONCURRENCY"] = flags.Get("concurrency");
  if (const char* only = std::getenv("BENCH_ONLY")) env["BENCH_ONLY"] = only;
  auto client = devstack::Subprocess::Start({"node", source_dir + "/tools/bench/audited_calls.cjs"}, env, "");
  if (!client.ok()) return Fail("audit_bench", client.status());
  int code = client->Wait();
  stack->reset();
  return code == 0 ? 0 : 1;
}
