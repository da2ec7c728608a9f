#include "gateway/rate_limiter.h"

#include <algorithm>
#include <cmath>

#include "absl/hash/hash.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/errors.h"

namespace gridserve::gateway {
namespace {

constexpr size_t kShards = 16;

std::string FormatDelay(absl::Duration delay) {
  return absl::StrFormat("%.3fs", absl::ToDoubleSeconds(delay));
}

std::string FormatRate(const RateLimit& limit) {
  return absl::StrFormat("%g calls/s, burst %d", limit.per_second, limit.burst);
}

absl::StatusOr<RateLimit> RateLimitFromFlags(const Flags& flags, absl::string_view rate_flag,
                                             absl::string_view burst_flag) {
  RateLimit limit;
  std::string rate = flags.Get(rate_flag);
  if (!absl::SimpleAtod(rate, &limit.per_second) || !std::isfinite(limit.per_second) || limit.per_second < 0 ||
      limit.per_second > 1e6) {
    return absl::InvalidArgumentError(absl::StrCat("--", rate_flag, "=", rate,
                                                   " must be calls per second between 0 (no limit) and 1000000, e.g. 20 or 0.5"));
  }
  auto burst = flags.GetInt(burst_flag, 1, 1000000);
  if (!burst.ok()) return burst.status();
  limit.burst = *burst;
  return limit;
}

}  // namespace

RateLimiter::RateLimiter(RateLimit limit, size_t max_keys, Clock clock)
    : limit_(limit),
      max_keys_per_shard_(std::max<size_t>(1, max_keys / kShards)),
      refill_time_(limit.per_second > 0 ? absl::Seconds(limit.burst / limit.per_second) : absl::ZeroDuration()),
      clock_(std::move(clock)),
      shards_(kShards) {}

size_t RateLimiter::size() const {
  size_t total = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    total += shard.index.size();
  }
  return total;
}

void RateLimiter::EvictIdle(Shard& shard, absl::Time now) {
  // The least recently used buckets are at the back: drop those that have
  // refilled completely, and the oldest while over the cap.
  while (!shard.recent.empty()) {
    const Bucket& oldest = shard.recent.back();
    bool full_again = now - oldest.updated >= refill_time_;
    if (!full_again && shard.recent.size() <= max_keys_per_shard_) break;
    shard.index.erase(oldest.key);
    shard.recent.pop_back();
  }
}

absl::Duration RateLimiter::Acquire(absl::string_view key) {
  if (!enabled()) return absl::ZeroDuration();
  Shard& shard = shards_[absl::Hash<absl::string_view>()(key) % kShards];
  absl::Time now = clock_();
  std::lock_guard lock(shard.mutex);
  auto found = shard.index.find(std::string(key));
  std::list<Bucket>::iterator bucket;
  if (found == shard.index.end()) {
    shard.recent.push_front(Bucket{std::string(key), static_cast<double>(limit_.burst), now});
    bucket = shard.recent.begin();
    shard.index.emplace(bucket->key, bucket);
  } else {
    bucket = found->second;
    shard.recent.splice(shard.recent.begin(), shard.recent, bucket);
    double elapsed = std::max(0.0, absl::ToDoubleSeconds(now - bucket->updated));
    bucket->tokens = std::min<double>(limit_.burst, bucket->tokens + elapsed * limit_.per_second);
    bucket->updated = std::max(now, bucket->updated);
  }
  absl::Duration wait = absl::ZeroDuration();
  // The tolerance absorbs rounding in the refill sums (ten refills of 0.1
  // make a whole call); a refusal always reports a non-zero wait.
  if (bucket->tokens >= 1 - 1e-9) {
    bucket->tokens = std::max(0.0, bucket->tokens - 1);
  } else {
    wait = std::max(absl::Seconds((1 - bucket->tokens) / limit_.per_second), absl::Microseconds(1));
  }
  EvictIdle(shard, now);  // never the bucket just used: it is at the front and not full
  return wait;
}

CallRateLimits::CallRateLimits(RateLimit per_principal, RateLimit per_address, RateLimiter::Clock clock)
    : clock_(clock), per_principal_(per_principal, 100000, clock), per_address_(per_address, 100000, clock) {}

void CallRateLimits::SetPrincipalLimit(const std::string& subject, RateLimit limit) {
  own_limits_[subject] = std::make_unique<RateLimiter>(limit, 64, clock_);  // one key; room in every shard
}

absl::Status CallRateLimits::CheckAddress(absl::string_view peer) {
  std::string host = PeerHost(peer);
  absl::Duration wait = per_address_.Acquire(host);
  if (wait == absl::ZeroDuration()) return absl::OkStatus();
  return ResourceExhausted(absl::StrCat("too many calls from address ", host, " (limit ",
                                        FormatRate(per_address_.limit()), " per address); retry after ",
                                        FormatDelay(wait), " and slow down"),
                           wait);
}

absl::Status CallRateLimits::CheckPrincipal(absl::string_view subject) {
  auto own = own_limits_.find(subject);
  RateLimiter& limiter = own == own_limits_.end() ? per_principal_ : *own->second;
  absl::Duration wait = limiter.Acquire(subject);
  if (wait == absl::ZeroDuration()) return absl::OkStatus();
  return ResourceExhausted(absl::StrCat("too many calls by ", subject, " (limit ", FormatRate(limiter.limit()),
                                        own == own_limits_.end() ? " per principal" : " registered for it",
                                        "); retry after ", FormatDelay(wait), " and slow down"),
                           wait);
}

std::string PeerHost(absl::string_view peer) {
  absl::string_view rest;
  if (absl::StartsWith(peer, "ipv4:")) {
    rest = peer.substr(5);
    return std::string(rest.substr(0, rest.rfind(':')));
  }
  if (absl::StartsWith(peer, "ipv6:")) {
    rest = peer.substr(5);
    if (absl::StartsWith(rest, "[")) {
      size_t close = rest.find(']');
      if (close != absl::string_view::npos) return std::string(rest.substr(1, close - 1));
    }
    return std::string(rest);
  }
  return std::string(peer);
}

void DefineRateLimitFlags(Flags& flags) {
  flags.Define("rate_limit_per_principal", "100", "calls per second one principal may make through this gateway replica (0: no limit)")
      .Define("rate_limit_principal_burst", "200", "calls one principal may make at once after a quiet spell (1-1000000)")
      .Define("rate_limit_per_address", "1000", "calls per second one client address (IP) may make through this gateway replica (0: no limit)")
      .Define("rate_limit_address_burst", "2000", "calls one client address may make at once after a quiet spell (1-1000000)");
}

absl::StatusOr<RateLimit> PrincipalRateLimitFromFlags(const Flags& flags) {
  return RateLimitFromFlags(flags, "rate_limit_per_principal", "rate_limit_principal_burst");
}

absl::StatusOr<RateLimit> AddressRateLimitFromFlags(const Flags& flags) {
  return RateLimitFromFlags(flags, "rate_limit_per_address", "rate_limit_address_burst");
}

}  // namespace gridserve::gateway
