#pragma once

// What the latency benchmarks share: a town with 60 villages to list, one
// timed call, percentiles, and interleaved timing rounds so that every target
// sees the same machine state.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/flags.h"
#include "gridserve/membership/v1/organization.grpc.pb.h"
#include "tools/devstack/subprocess.h"

namespace gridserve::bench {

// The flags every benchmark takes: --build_dir and --source_dir (tools/dev
// bench passes both); define the benchmark's own on the result.
Flags BenchFlags();
// Parses the command line only (benchmarks read no GRIDSERVE_* variables).
absl::Status ParseBenchFlags(Flags& flags, int argc, char** argv);
// Prints "<bench>: <message>" to stderr and returns exit code 1.
int Fail(const std::string& bench, const absl::Status& status);

// Creates district 500114, town 500114101000 and 60 villages under it.
absl::Status CreateBenchmarkTown(membership::v1::OrganizationService::Stub& stub, const std::string& token);

// ListOrganizations(parent 500114101000, page_size 50): true when it answered 50 rows.
bool ListFifty(membership::v1::OrganizationService::Stub& stub, const std::string& token);

struct Target {
  std::string name;
  std::function<bool()> call;
  std::vector<double> micros;
};

// `warm_up` untimed calls per target, then `calls` timed calls per target in
// rounds of 100, the targets taking turns. Fails naming the target whose call failed.
absl::Status TimeInterleaved(std::vector<Target>& targets, int calls, int warm_up = 200);

double Percentile(std::vector<double> values, double p);

// Prints "name p50 p90 p99" rows.
void PrintLatencies(const std::vector<Target>& targets);

// minimal_proxy (the floor of a forwarding hop) started in front of
// `backend_address`; its log and port file go under `state_dir`.
struct MinimalProxy {
  devstack::Subprocess process;
  std::string address;
};
absl::StatusOr<MinimalProxy> StartMinimalProxy(const std::string& build_dir, const std::string& state_dir,
                                               const std::string& backend_address);

// Resident memory of a process in KiB (-1 if unknown).
long ResidentKiB(int pid);

}  // namespace gridserve::bench
