#include "tools/bench/bench_support.h"

#include <algorithm>
#include <cstdio>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "grpcpp/client_context.h"

namespace gridserve::bench {
namespace {

namespace v1 = membership::v1;

void Prepare(grpc::ClientContext& context, const std::string& token) {
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  context.AddMetadata("authorization", "Bearer " + token);
}

}  // namespace

Flags BenchFlags() {
  Flags flags;
  flags.Define("build_dir", "build", "CMake build folder").Define("source_dir", ".", "repository root");
  return flags;
}

absl::Status ParseBenchFlags(Flags& flags, int argc, char** argv) {
  return flags.Parse(argc, argv, [](const std::string&) { return std::nullopt; });
}

int Fail(const std::string& bench, const absl::Status& status) {
  std::fprintf(stderr, "%s: %s\n", bench.c_str(), std::string(status.message()).c_str());
  return 1;
}

absl::Status CreateBenchmarkTown(v1::OrganizationService::Stub& stub, const std::string& token) {
  auto create = [&](const std::string& code, v1::OrganizationKind kind, const std::string& name) {
    grpc::ClientContext context;
    Prepare(context, token);
    v1::CreateOrganizationRequest request;
    request.mutable_organization()->set_code(code);
    request.mutable_organization()->set_kind(kind);
    request.mutable_organization()->set_display_name(name);
    v1::CreateOrganizationResponse response;
    grpc::Status status = stub.CreateOrganization(&context, request, &response);
    return status.ok() ? absl::OkStatus()
                       : absl::InternalError(absl::StrCat("creating ", code, ": ", status.error_message()));
  };
  if (absl::Status status = create("500114000000", v1::ORGANIZATION_KIND_DISTRICT, "黔江区"); !status.ok()) {
    return status;
  }
  if (absl::Status status = create("500114101000", v1::ORGANIZATION_KIND_TOWN, "邻鄂镇"); !status.ok()) return status;
  for (int i = 0; i < 60; ++i) {
    absl::Status status = create(absl::StrFormat("500114101%03d", 201 + i), v1::ORGANIZATION_KIND_VILLAGE,
                                 absl::StrCat("基准村", i + 1));
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

bool ListFifty(v1::OrganizationService::Stub& stub, const std::string& token) {
  grpc::ClientContext context;
  Prepare(context, token);
  v1::ListOrganizationsRequest request;
  request.set_parent_code("500114101000");
  request.set_page_size(50);
  v1::ListOrganizationsResponse response;
  return stub.ListOrganizations(&context, request, &response).ok() && response.organizations_size() == 50;
}

absl::Status TimeInterleaved(std::vector<Target>& targets, int calls, int warm_up) {
  for (Target& target : targets) {
    for (int i = 0; i < warm_up; ++i) {
      if (!target.call()) return absl::InternalError("warm-up call failed: " + target.name);
    }
  }
  constexpr int kRound = 100;
  for (int done = 0; done < calls; done += kRound) {
    for (Target& target : targets) {
      for (int i = 0; i < kRound; ++i) {
        absl::Time start = absl::Now();
        if (!target.call()) return absl::InternalError("timed call failed: " + target.name);
        target.micros.push_back(absl::ToDoubleMicroseconds(absl::Now() - start));
      }
    }
  }
  return absl::OkStatus();
}

double Percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  return values[static_cast<size_t>(p * (values.size() - 1))];
}

void PrintLatencies(const std::vector<Target>& targets) {
  std::printf("%-34s %10s %10s %10s\n", "target", "p50 us", "p90 us", "p99 us");
  for (const Target& target : targets) {
    std::printf("%-34s %10.0f %10.0f %10.0f\n", target.name.c_str(), Percentile(target.micros, 0.5),
                Percentile(target.micros, 0.9), Percentile(target.micros, 0.99));
  }
}

absl::StatusOr<MinimalProxy> StartMinimalProxy(const std::string& build_dir, const std::string& state_dir,
                                               const std::string& backend_address) {
  std::string port_file = state_dir + "/run/minimal_proxy.addr";
  auto process = devstack::Subprocess::Start(
      {build_dir + "/tools/bench/minimal_proxy", "--backend=" + backend_address, "--port_file=" + port_file},
      {{"PATH", "/usr/bin:/bin"}}, state_dir + "/logs/minimal_proxy.log");
  if (!process.ok()) return process.status();
  std::string address;
  for (absl::Time end = absl::Now() + absl::Seconds(10); address.empty() && absl::Now() < end;) {
    std::ifstream(port_file) >> address;
    if (address.empty()) absl::SleepFor(absl::Milliseconds(20));
  }
  if (address.empty()) return absl::UnavailableError("minimal_proxy did not start; see its log under " + state_dir);
  return MinimalProxy{*std::move(process), address};
}

long ResidentKiB(int pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

}  // namespace gridserve::bench
