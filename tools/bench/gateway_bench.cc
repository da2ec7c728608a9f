// gateway_bench: what the gateway hop costs. Starts the whole suite (throwaway
// database, free ports), fills one town with villages, then times
// ListOrganizations(page_size=50) directly at membership and through the
// gateway, interleaved in rounds so both see the same machine state. Prints
// p50/p90/p99 and the gateway/direct ratio, and each process's resident
// memory idle and under concurrent load.
//   gateway_bench --build_dir=build --source_dir=. [--calls=2000] [--load_seconds=5] [--load_threads=8]
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/flags.h"
#include "grpcpp/create_channel.h"
#include "tools/bench/bench_support.h"
#include "tools/devstack/stack.h"

namespace gridserve::bench {
namespace {

namespace v1 = membership::v1;

int Fail(const std::string& message) {
  std::fprintf(stderr, "gateway_bench: %s\n", message.c_str());
  return 1;
}

}  // namespace
}  // namespace gridserve::bench

int main(int argc, char** argv) {
  using namespace gridserve;
  using namespace gridserve::bench;
  Flags flags;
  flags.Define("build_dir", "build", "CMake build folder")
      .Define("source_dir", ".", "repository root")
      .Define("calls", "2000", "timed calls per target")
      .Define("load_seconds", "5", "duration of the concurrent load phase")
      .Define("load_threads", "8", "client threads in the load phase");
  if (absl::Status status = flags.Parse(argc, argv, [](const std::string&) { return std::nullopt; }); !status.ok()) {
    return Fail(std::string(status.message()));
  }
  int calls = *flags.GetInt("calls", 10, 1000000);
  int load_seconds = *flags.GetInt("load_seconds", 1, 600);
  int load_threads = *flags.GetInt("load_threads", 1, 256);
  std::string state_dir = std::filesystem::temp_directory_path() / ("gridserve-bench-" + std::to_string(getpid()));
  // Rate limits off: the benchmark measures the forwarding path, not the limiter.
  auto stack = devstack::Stack::Start({.state_dir = state_dir,
                                       .build_dir = flags.Get("build_dir"),
                                       .source_dir = flags.Get("source_dir"),
                                       .gateway_tls = false,
                                       .gateway_flags = {"--rate_limit_per_principal=0", "--rate_limit_per_address=0"}});
  if (!stack.ok()) return Fail(stack.status().ToString());
  std::string token = (*stack)->AdminToken();

  auto make_stub = [&](const std::string& process) {
    return v1::OrganizationService::NewStub(
        grpc::CreateChannel((*stack)->address(process), grpc::InsecureChannelCredentials()));
  };
  auto setup = make_stub("membership");
  if (absl::Status created = CreateBenchmarkTown(*setup, token); !created.ok()) return Fail(created.ToString());

  auto direct = make_stub("membership");
  auto gateway = make_stub("gateway");
  std::vector<Target> targets;
  targets.push_back({"direct to membership", [&] { return ListFifty(*direct, token); }, {}});
  targets.push_back({"through the gateway", [&] { return ListFifty(*gateway, token); }, {}});
  std::vector<std::string> processes = {"gateway", "membership", "grid_assignment", "activity_tracking", "evaluation"};
  std::map<std::string, long> idle_kib;
  for (const std::string& process : processes) idle_kib[process] = ResidentKiB((*stack)->pid(process));

  if (absl::Status timed = TimeInterleaved(targets, calls); !timed.ok()) return Fail(timed.ToString());

  std::atomic<bool> stop{false};
  std::atomic<long> load_calls{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < load_threads; ++t) {
    threads.emplace_back([&, t] {
      auto stub = make_stub(t % 2 == 0 ? "gateway" : "membership");
      while (!stop) {
        if (ListFifty(*stub, token)) ++load_calls;
      }
    });
  }
  std::map<std::string, long> peak_kib;
  absl::Time end = absl::Now() + absl::Seconds(load_seconds);
  while (absl::Now() < end) {
    for (const std::string& process : processes) {
      peak_kib[process] = std::max(peak_kib[process], ResidentKiB((*stack)->pid(process)));
    }
    absl::SleepFor(absl::Milliseconds(100));
  }
  stop = true;
  for (std::thread& thread : threads) thread.join();

  std::printf("ListOrganizations(page_size=50), %d sequential calls per target, interleaved in rounds of 100\n", calls);
  PrintLatencies(targets);
  std::printf("ratio gateway/direct: p50 %.2fx, p99 %.2fx\n",
              Percentile(targets[1].micros, 0.5) / Percentile(targets[0].micros, 0.5),
              Percentile(targets[1].micros, 0.99) / Percentile(targets[0].micros, 0.99));
  std::printf("\nload: %d threads for %d s (half via gateway), %.0f calls/s in total\n", load_threads, load_seconds,
              static_cast<double>(load_calls) / load_seconds);
  std::printf("%-20s %12s %12s\n", "process", "idle RSS MiB", "load RSS MiB");
  for (const std::string& process : processes) {
    std::printf("%-20s %12.1f %12.1f\n", process.c_str(), idle_kib[process] / 1024.0, peak_kib[process] / 1024.0);
  }
  stack->reset();
  std::filesystem::remove_all(state_dir);
  return 0;
}
