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
#include "gridserve/membership/v1/organization.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "tools/devstack/stack.h"

namespace gridserve::bench {
namespace {

namespace v1 = membership::v1;

struct Target {
  std::string name;
  std::unique_ptr<v1::OrganizationService::Stub> stub;
  std::vector<double> micros;
};

bool List(v1::OrganizationService::Stub& stub, const std::string& token) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  context.AddMetadata("authorization", "Bearer " + token);
  v1::ListOrganizationsRequest request;
  request.set_parent_code("500114101000");
  request.set_page_size(50);
  v1::ListOrganizationsResponse response;
  return stub.ListOrganizations(&context, request, &response).ok() && response.organizations_size() == 50;
}

double Percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  return values[static_cast<size_t>(p * (values.size() - 1))];
}

long ResidentKiB(int pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

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
  auto create = [&](const std::string& code, v1::OrganizationKind kind, const std::string& name) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
    context.AddMetadata("authorization", "Bearer " + token);
    v1::CreateOrganizationRequest request;
    request.mutable_organization()->set_code(code);
    request.mutable_organization()->set_kind(kind);
    request.mutable_organization()->set_display_name(name);
    v1::CreateOrganizationResponse response;
    return setup->CreateOrganization(&context, request, &response).ok();
  };
  bool created = create("500114000000", v1::ORGANIZATION_KIND_DISTRICT, "黔江区") &&
                 create("500114101000", v1::ORGANIZATION_KIND_TOWN, "邻鄂镇");
  for (int i = 0; i < 60 && created; ++i) {
    created = create(absl::StrFormat("500114101%03d", 201 + i), v1::ORGANIZATION_KIND_VILLAGE,
                     absl::StrCat("基准村", i + 1));
  }
  if (!created) return Fail("could not create the benchmark organisations");

  std::vector<Target> targets;
  targets.push_back({"direct to membership", make_stub("membership"), {}});
  targets.push_back({"through the gateway", make_stub("gateway"), {}});
  for (Target& target : targets) {
    for (int i = 0; i < 200; ++i) {
      if (!List(*target.stub, token)) return Fail("warm-up call failed: " + target.name);
    }
  }
  std::vector<std::string> processes = {"gateway", "membership", "grid_assignment", "activity_tracking", "evaluation"};
  std::map<std::string, long> idle_kib;
  for (const std::string& process : processes) idle_kib[process] = ResidentKiB((*stack)->pid(process));

  constexpr int kRound = 100;
  for (int done = 0; done < calls; done += kRound) {
    for (Target& target : targets) {
      for (int i = 0; i < kRound; ++i) {
        absl::Time start = absl::Now();
        if (!List(*target.stub, token)) return Fail("timed call failed: " + target.name);
        target.micros.push_back(absl::ToDoubleMicroseconds(absl::Now() - start));
      }
    }
  }

  std::atomic<bool> stop{false};
  std::atomic<long> load_calls{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < load_threads; ++t) {
    threads.emplace_back([&, t] {
      auto stub = make_stub(t % 2 == 0 ? "gateway" : "membership");
      while (!stop) {
        if (List(*stub, token)) ++load_calls;
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

  std::printf("ListOrganizations(page_size=50), %d sequential calls per target, interleaved in rounds of %d\n", calls, kRound);
  std::printf("%-24s %10s %10s %10s\n", "target", "p50 us", "p90 us", "p99 us");
  for (const Target& target : targets) {
    std::printf("%-24s %10.0f %10.0f %10.0f\n", target.name.c_str(), Percentile(target.micros, 0.5),
                Percentile(target.micros, 0.9), Percentile(target.micros, 0.99));
  }
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
