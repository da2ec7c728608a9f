#pragma once

#include <cstddef>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/flags.h"

namespace gridserve::gateway {

// A sustained rate and how many calls may come at once after a quiet spell.
// `per_second` 0 turns the limit off.
struct RateLimit {
  double per_second = 0;
  int burst = 1;
};

// Token buckets keyed by a string (a principal's subject, a client address):
// each key may make `burst` calls at once and `per_second` calls per second
// on average. Thread-safe and non-blocking (a short lock on one of 16
// shards). Memory is bounded: a bucket idle long enough to be full again is
// dropped (a new one behaves the same), and past `max_keys` the least
// recently used bucket is dropped.
//
// The buckets live in this process: with N gateway replicas a client that
// spreads its calls over all of them gets up to N times the configured rate.
class RateLimiter {
 public:
  using Clock = std::function<absl::Time()>;

  explicit RateLimiter(RateLimit limit, size_t max_keys = 100000, Clock clock = absl::Now);

  // Takes one call from `key`'s bucket. Zero when the call may go ahead,
  // otherwise how long until the bucket holds a call again (nothing is taken).
  absl::Duration Acquire(absl::string_view key);

  bool enabled() const { return limit_.per_second > 0; }
  const RateLimit& limit() const { return limit_; }
  // Buckets currently held (for tests and metrics).
  size_t size() const;

 private:
  struct Bucket {
    std::string key;
    double tokens;
    absl::Time updated;
  };
  struct Shard {
    mutable std::mutex mutex;
    std::list<Bucket> recent;  // most recently used first
    std::unordered_map<std::string, std::list<Bucket>::iterator> index;
  };

  void EvictIdle(Shard& shard, absl::Time now);

  RateLimit limit_;
  size_t max_keys_per_shard_;
  absl::Duration refill_time_;  // an empty bucket is full again after this long
  Clock clock_;
  std::vector<Shard> shards_;
};

// The gateway's rate limits: per client address (checked before the caller
// is authenticated, so floods of bad credentials are limited too) and per
// principal subject. Exceeding one answers RESOURCE_EXHAUSTED with a
// google.rpc.RetryInfo and a message saying when to retry.
class CallRateLimits {
 public:
  CallRateLimits(RateLimit per_principal, RateLimit per_address, RateLimiter::Clock clock = absl::Now);

  // `peer` as gRPC reports it ("ipv4:10.0.0.7:51234", "ipv6:[::1]:5000");
  // the port is ignored, so all connections from one host share a bucket.
  absl::Status CheckAddress(absl::string_view peer);
  absl::Status CheckPrincipal(absl::string_view subject);

  // `subject` gets `limit` instead of the per-principal default (a
  // registered consuming system's own limit). Call before serving.
  void SetPrincipalLimit(const std::string& subject, RateLimit limit);

  bool enabled() const { return per_principal_.enabled() || per_address_.enabled(); }

 private:
  RateLimiter::Clock clock_;
  RateLimiter per_principal_;
  RateLimiter per_address_;
  std::map<std::string, std::unique_ptr<RateLimiter>, std::less<>> own_limits_;  // read-only once serving
};

// "ipv4:10.0.0.7:51234" -> "10.0.0.7", "ipv6:[::1]:5000" -> "::1"; other
// forms (unix sockets) are returned as they are.
std::string PeerHost(absl::string_view peer);

// Gateway flags --rate_limit_per_principal, --rate_limit_principal_burst,
// --rate_limit_per_address, --rate_limit_address_burst.
void DefineRateLimitFlags(Flags& flags);
// INVALID_ARGUMENT naming the flag for a bad value.
absl::StatusOr<RateLimit> PrincipalRateLimitFromFlags(const Flags& flags);
absl::StatusOr<RateLimit> AddressRateLimitFromFlags(const Flags& flags);

}  // namespace gridserve::gateway
