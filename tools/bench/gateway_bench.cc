// gateway_bench: what the gateway hop costs. Starts the whole suite (throwaway
// database, free ports), fills one town with villages, then times
// ListOrganizations(page_size=50) directly at membership, through
// minimal_proxy (the floor: a forwarding hop with nothing but gRPC in it) and
// through the gateway, interleaved in rounds so all see the same machine
// state. Prints p50/p90/p99, the gateway/direct and floor/direct ratios and
// the microseconds each hop adds;
// then the throughput of 8 and 32 concurrent clients through the gateway and
// direct (alternating rounds, calls/s and ratio), and each process's resident
// memory idle and under that load.
//   gateway_bench --build_dir=build --source_dir=. [--calls=2000] [--load_seconds=2] [--load_rounds=3]
//                 [--concurrency=8,32]
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "grpcpp/create_channel.h"
#include "tools/bench/bench_support.h"
#include "tools/devstack/stack.h"
#include "tools/devstack/subprocess.h"

namespace gridserve::bench {
namespace {

namespace v1 = membership::v1;

// Calls/s of `clients` threads calling ListFifty back to back on one channel for `duration`.
double Throughput(const std::shared_ptr<grpc::Channel>& channel, const std::string& token, int clients,
                  absl::Duration duration, std::atomic<bool>& failed) {
  std::atomic<long> calls{0};
  absl::Time end = absl::Now() + duration;
  absl::Time start = absl::Now();
  std::vector<std::thread> threads;
  for (int t = 0; t < clients; ++t) {
    threads.emplace_back([&] {
      auto stub = v1::OrganizationService::NewStub(channel);
      while (absl::Now() < end) {
        if (!ListFifty(*stub, token)) failed = true;
        ++calls;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  return static_cast<double>(calls) / absl::ToDoubleSeconds(absl::Now() - start);
}

}  // namespace
}  // namespace gridserve::bench

int main(int argc, char** argv) {
  using namespace gridserve;
  using namespace gridserve::bench;
  Flags flags = BenchFlags();
  flags.Define("calls", "2000", "timed sequential calls per target")
      .Define("load_seconds", "2", "length of one throughput round per target")
      .Define("load_rounds", "3", "throughput rounds per target and concurrency")
      .Define("concurrency", "8,32", "concurrent clients of the throughput phase, comma separated");
  if (absl::Status status = ParseBenchFlags(flags, argc, argv); !status.ok()) return Fail("gateway_bench", status);
  auto calls = flags.GetInt("calls", 10, 1000000);
  auto load_seconds = flags.GetInt("load_seconds", 1, 600);
  auto load_rounds = flags.GetInt("load_rounds", 1, 100);
  std::vector<int> concurrency;
  for (absl::string_view part : absl::StrSplit(flags.Get("concurrency"), ',')) {
    int clients = 0;
    if (!absl::SimpleAtoi(part, &clients) || clients < 1 || clients > 256) {
      return Fail("gateway_bench", absl::InvalidArgumentError("--concurrency: comma-separated client counts 1-256"));
    }
    concurrency.push_back(clients);
  }
  for (const auto* value : {&calls, &load_seconds, &load_rounds}) {
    if (!value->ok()) return Fail("gateway_bench", value->status());
  }
  std::string state_dir = std::filesystem::temp_directory_path() / ("gridserve-bench-" + std::to_string(getpid()));
  // Rate limits off: the benchmark measures the forwarding path, not the limiter.
  auto stack = devstack::Stack::Start({.state_dir = state_dir,
                                       .build_dir = flags.Get("build_dir"),
                                       .source_dir = flags.Get("source_dir"),
                                       .gateway_tls = false,
                                       .gateway_flags = {"--rate_limit_per_principal=0", "--rate_limit_per_address=0"},
                                       .remove_state_dir = true});
  if (!stack.ok()) return Fail("gateway_bench", stack.status());
  std::string token = (*stack)->AdminToken();

  auto channel_to = [&](const std::string& process) {
    return grpc::CreateChannel((*stack)->address(process), grpc::InsecureChannelCredentials());
  };
  auto setup = v1::OrganizationService::NewStub(channel_to("membership"));
  if (absl::Status created = CreateBenchmarkTown(*setup, token); !created.ok()) return Fail("gateway_bench", created);

  absl::StatusOr<MinimalProxy> proxy =
      StartMinimalProxy(flags.Get("build_dir"), state_dir, (*stack)->address("membership"));
  if (!proxy.ok()) return Fail("gateway_bench", proxy.status());
  const std::string proxy_address = proxy->address;

  auto direct = v1::OrganizationService::NewStub(channel_to("membership"));
  auto floor = v1::OrganizationService::NewStub(grpc::CreateChannel(proxy_address, grpc::InsecureChannelCredentials()));
  auto gateway = v1::OrganizationService::NewStub(channel_to("gateway"));
  std::vector<Target> targets;
  targets.push_back({"direct to membership", [&] { return ListFifty(*direct, token); }, {}});
  targets.push_back({"through minimal_proxy (floor)", [&] { return ListFifty(*floor, token); }, {}});
  targets.push_back({"through the gateway", [&] { return ListFifty(*gateway, token); }, {}});
  std::vector<std::string> processes = {"gateway", "membership", "grid_assignment", "activity_tracking", "evaluation"};
  std::map<std::string, long> idle_kib;
  for (const std::string& process : processes) idle_kib[process] = ResidentKiB((*stack)->pid(process));

  if (absl::Status timed = TimeInterleaved(targets, *calls); !timed.ok()) return Fail("gateway_bench", timed);

  std::atomic<bool> stop{false};
  std::map<std::string, long> peak_kib;
  std::thread sampler([&] {
    while (!stop) {
      for (const std::string& process : processes) {
        peak_kib[process] = std::max(peak_kib[process], ResidentKiB((*stack)->pid(process)));
      }
      absl::SleepFor(absl::Milliseconds(100));
    }
  });
  std::atomic<bool> failed{false};
  struct Rates {
    double gateway = 0, floor = 0, direct = 0;
  };
  std::vector<Rates> throughput;  // per concurrency
  std::shared_ptr<grpc::Channel> gateway_channel = channel_to("gateway");
  std::shared_ptr<grpc::Channel> floor_channel = grpc::CreateChannel(proxy_address, grpc::InsecureChannelCredentials());
  std::shared_ptr<grpc::Channel> direct_channel = channel_to("membership");
  for (int clients : concurrency) {
    Rates rates;
    for (int round = 0; round < *load_rounds; ++round) {
      rates.gateway += Throughput(gateway_channel, token, clients, absl::Seconds(*load_seconds), failed) / *load_rounds;
      rates.floor += Throughput(floor_channel, token, clients, absl::Seconds(*load_seconds), failed) / *load_rounds;
      rates.direct += Throughput(direct_channel, token, clients, absl::Seconds(*load_seconds), failed) / *load_rounds;
    }
    throughput.push_back(rates);
  }
  stop = true;
  sampler.join();
  if (failed) return Fail("gateway_bench", absl::InternalError("a call failed in the throughput phase"));

  std::printf("ListOrganizations(page_size=50), %d sequential calls per target, interleaved in rounds of 100\n", *calls);
  PrintLatencies(targets);
  auto ratio = [&](const char* name, const Target& through) {
    double p50_direct = Percentile(targets[0].micros, 0.5), p50 = Percentile(through.micros, 0.5);
    double p99_direct = Percentile(targets[0].micros, 0.99), p99 = Percentile(through.micros, 0.99);
    std::printf("ratio %s/direct: p50 %.2fx (+%.0f us), p99 %.2fx (+%.0f us)\n", name, p50 / p50_direct,
                p50 - p50_direct, p99 / p99_direct, p99 - p99_direct);
  };
  ratio("gateway", targets[2]);
  ratio("floor", targets[1]);
  std::printf("\nthroughput, %d rounds of %d s per target (targets alternate)\n", *load_rounds, *load_seconds);
  std::printf("%8s %12s %12s %12s %8s %8s\n", "clients", "gateway/s", "floor/s", "direct/s", "gateway", "floor");
  for (size_t i = 0; i < concurrency.size(); ++i) {
    const Rates& r = throughput[i];
    std::printf("%8d %12.0f %12.0f %12.0f %7.2fx %7.2fx\n", concurrency[i], r.gateway, r.floor, r.direct,
                r.gateway / r.direct, r.floor / r.direct);
  }
  std::printf("\n%-20s %12s %12s\n", "process", "idle RSS MiB", "load RSS MiB");
  for (const std::string& process : processes) {
    std::printf("%-20s %12.1f %12.1f\n", process.c_str(), idle_kib[process] / 1024.0, peak_kib[process] / 1024.0);
  }
  return 0;
}
