// auth_bench: what the auth layer costs per call. Starts the suite twice on
// throwaway databases: once as deployed, and once with the benchmark-only
// builds gridserve-gateway-noauth and gridserve-membership-noauth, in which
// AuthenticateCall is replaced by one that reads no token and returns a fixed
// district administrator (authenticate_call_disabled.cc). Times
// ListOrganizations(page_size=50) through each gateway and straight at each
// membership, interleaved in rounds, and prints p50/p90/p99 and the
// with-auth / without-auth ratios. Also times TokenCodec::Verify alone.
//   auth_bench --build_dir=build --source_dir=. [--calls=2000]
#include <cstdio>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/flags.h"
#include "grpcpp/create_channel.h"
#include "tools/bench/bench_support.h"
#include "tools/devstack/stack.h"

namespace gridserve::bench {
namespace {

namespace v1 = membership::v1;

std::unique_ptr<v1::OrganizationService::Stub> StubFor(const devstack::Stack& stack, const std::string& process) {
  return v1::OrganizationService::NewStub(
      grpc::CreateChannel(stack.address(process), grpc::InsecureChannelCredentials()));
}

// Microseconds per TokenCodec::Verify of a typical token.
double VerifyMicros(const std::string& key_file, const std::string& token) {
  absl::StatusOr<TokenCodec> codec = TokenCodec::FromKeyFile(key_file);
  if (!codec.ok()) return -1;
  constexpr int kRounds = 100000;
  absl::Time start = absl::Now();
  for (int i = 0; i < kRounds; ++i) {
    if (!codec->Verify(token, absl::Now()).ok()) return -1;
  }
  return absl::ToDoubleMicroseconds(absl::Now() - start) / kRounds;
}

}  // namespace
}  // namespace gridserve::bench

int main(int argc, char** argv) {
  using namespace gridserve;
  using namespace gridserve::bench;
  Flags flags = BenchFlags();
  flags.Define("calls", "2000", "timed calls per target");
  if (absl::Status status = ParseBenchFlags(flags, argc, argv); !status.ok()) return Fail("auth_bench", status);
  int calls = *flags.GetInt("calls", 100, 1000000);
  std::string build_dir = flags.Get("build_dir");
  std::string base = std::filesystem::temp_directory_path() / absl::StrCat("gridserve-auth-bench-", getpid());
  // Rate limits off in both: they are admission control, measured apart from authentication.
  std::vector<std::string> gateway_flags = {"--rate_limit_per_principal=0", "--rate_limit_per_address=0"};
  auto with_auth = devstack::Stack::Start({.state_dir = base + "/with-auth",
                                           .build_dir = build_dir,
                                           .source_dir = flags.Get("source_dir"),
                                           .gateway_tls = false,
                                           .gateway_flags = gateway_flags});
  if (!with_auth.ok()) return Fail("auth_bench", with_auth.status());
  auto without_auth = devstack::Stack::Start(
      {.state_dir = base + "/without-auth",
       .build_dir = build_dir,
       .source_dir = flags.Get("source_dir"),
       .gateway_tls = false,
       .gateway_flags = gateway_flags,
       .binaries = {{"gateway", build_dir + "/tools/bench/gridserve-gateway-noauth"},
                    {"membership", build_dir + "/tools/bench/gridserve-membership-noauth"}}});
  if (!without_auth.ok()) return Fail("auth_bench", without_auth.status());

  // Both stacks get the same token shape, so the bytes on the wire are the same.
  std::string token = (*with_auth)->AdminToken();
  std::string other_token = (*without_auth)->AdminToken();
  for (auto* stack : {with_auth->get(), without_auth->get()}) {
    auto setup = StubFor(*stack, "membership");
    if (absl::Status created = CreateBenchmarkTown(*setup, stack == with_auth->get() ? token : other_token);
        !created.ok()) {
      return Fail("auth_bench", created);
    }
  }
  // The replacement must really be linked, and the real one must really refuse.
  auto probe_with = StubFor(**with_auth, "gateway");
  auto probe_without = StubFor(**without_auth, "gateway");
  if (ListFifty(*probe_with, "not-a-token")) return Fail("auth_bench", absl::InternalError("the deployed gateway accepted a bad token"));
  if (!ListFifty(*probe_without, "not-a-token")) return Fail("auth_bench", absl::InternalError("the -noauth gateway still verifies tokens"));

  auto gateway_with = StubFor(**with_auth, "gateway");
  auto gateway_without = StubFor(**without_auth, "gateway");
  auto direct_with = StubFor(**with_auth, "membership");
  auto direct_without = StubFor(**without_auth, "membership");
  std::vector<Target> targets;
  targets.push_back({"gateway, auth on", [&] { return ListFifty(*gateway_with, token); }, {}});
  targets.push_back({"gateway, auth off (bench build)", [&] { return ListFifty(*gateway_without, other_token); }, {}});
  targets.push_back({"membership direct, auth on", [&] { return ListFifty(*direct_with, token); }, {}});
  targets.push_back(
      {"membership direct, auth off", [&] { return ListFifty(*direct_without, other_token); }, {}});
  if (absl::Status timed = TimeInterleaved(targets, calls); !timed.ok()) return Fail("auth_bench", timed);

  std::printf("ListOrganizations(page_size=50), %d sequential calls per target, interleaved in rounds of 100\n",
              calls);
  PrintLatencies(targets);
  auto ratio = [&](int a, int b, double p) { return Percentile(targets[a].micros, p) / Percentile(targets[b].micros, p); };
  std::printf("auth on / off through the gateway (gateway + backend checks): p50 %.3fx (%+.0f us), p99 %.3fx\n",
              ratio(0, 1, 0.5), Percentile(targets[0].micros, 0.5) - Percentile(targets[1].micros, 0.5),
              ratio(0, 1, 0.99));
  std::printf("auth on / off straight to membership (backend check only): p50 %.3fx (%+.0f us), p99 %.3fx\n",
              ratio(2, 3, 0.5), Percentile(targets[2].micros, 0.5) - Percentile(targets[3].micros, 0.5),
              ratio(2, 3, 0.99));
  std::printf("TokenCodec::Verify alone: %.2f us per token\n", VerifyMicros((*with_auth)->token_key_file(), token));
  with_auth->reset();
  without_auth->reset();
  std::filesystem::remove_all(base);
  return 0;
}
