#include "gateway/rate_limiter.h"

#include <atomic>
#include <thread>

#include "common/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gridserve::gateway {
namespace {

using ::testing::HasSubstr;

// A clock the test moves by hand.
struct FakeClock {
  absl::Time now = absl::FromUnixSeconds(1700000000);
  RateLimiter::Clock AsClock() {
    return [this] { return now; };
  }
};

TEST(RateLimiterTest, AllowsTheBurstThenRefusesUntilATokenRefills) {
  FakeClock clock;
  RateLimiter limiter({.per_second = 2, .burst = 3}, 1000, clock.AsClock());
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.Acquire("alice"), absl::ZeroDuration()) << i;
  EXPECT_EQ(limiter.Acquire("alice"), absl::Milliseconds(500));
  clock.now += absl::Milliseconds(200);
  EXPECT_EQ(limiter.Acquire("alice"), absl::Milliseconds(300));  // a refusal takes nothing
  clock.now += absl::Milliseconds(300);
  EXPECT_EQ(limiter.Acquire("alice"), absl::ZeroDuration());
  EXPECT_EQ(limiter.Acquire("alice"), absl::Milliseconds(500));
}

TEST(RateLimiterTest, SustainedRateIsTheConfiguredRate) {
  FakeClock clock;
  RateLimiter limiter({.per_second = 10, .burst = 1}, 1000, clock.AsClock());
  int allowed = 0;
  for (int i = 0; i < 1000; ++i) {  // 10 s in 10 ms steps
    if (limiter.Acquire("k") == absl::ZeroDuration()) ++allowed;
    clock.now += absl::Milliseconds(10);
  }
  EXPECT_EQ(allowed, 100);
}

TEST(RateLimiterTest, KeysHaveSeparateBuckets) {
  FakeClock clock;
  RateLimiter limiter({.per_second = 1, .burst = 1}, 1000, clock.AsClock());
  EXPECT_EQ(limiter.Acquire("a"), absl::ZeroDuration());
  EXPECT_GT(limiter.Acquire("a"), absl::ZeroDuration());
  EXPECT_EQ(limiter.Acquire("b"), absl::ZeroDuration());
}

TEST(RateLimiterTest, BurstNeverExceedsItsSizeAfterALongPause) {
  FakeClock clock;
  RateLimiter limiter({.per_second = 100, .burst = 5}, 1000, clock.AsClock());
  EXPECT_EQ(limiter.Acquire("k"), absl::ZeroDuration());
  clock.now += absl::Hours(1);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(limiter.Acquire("k"), absl::ZeroDuration());
  EXPECT_GT(limiter.Acquire("k"), absl::ZeroDuration());
}

TEST(RateLimiterTest, ZeroRateMeansNoLimit) {
  FakeClock clock;
  RateLimiter limiter({.per_second = 0, .burst = 1}, 1000, clock.AsClock());
  for (int i = 0; i < 10000; ++i) ASSERT_EQ(limiter.Acquire("k"), absl::ZeroDuration());
  EXPECT_EQ(limiter.size(), 0u);
}

TEST(RateLimiterTest, IdleBucketsAreDroppedOnceFullAgain) {
  FakeClock clock;
  RateLimiter limiter({.per_second = 10, .burst = 10}, 100000, clock.AsClock());
  for (int i = 0; i < 1000; ++i) limiter.Acquire("client-" + std::to_string(i));
  EXPECT_EQ(limiter.size(), 1000u);
  clock.now += absl::Seconds(1);  // burst / rate: every bucket is full again
  // Each shard sweeps when it is next used; touch every shard.
  for (int i = 0; i < 200; ++i) limiter.Acquire("new-" + std::to_string(i));
  EXPECT_EQ(limiter.size(), 200u);
}

TEST(RateLimiterTest, MemoryStaysBoundedUnderManyDistinctKeys) {
  FakeClock clock;
  RateLimiter limiter({.per_second = 1, .burst = 100}, 1600, clock.AsClock());
  for (int i = 0; i < 50000; ++i) limiter.Acquire("attacker-" + std::to_string(i));
  EXPECT_LE(limiter.size(), 1600u);
  // A key used a moment ago survives while others come and go in its shard.
  EXPECT_EQ(limiter.Acquire("steady"), absl::ZeroDuration());
}

TEST(RateLimiterTest, ConcurrentCallersNeverGetMoreThanTheBurst) {
  FakeClock clock;  // time stands still: exactly `burst` calls may pass
  RateLimiter limiter({.per_second = 1, .burst = 500}, 1000, clock.AsClock());
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        if (limiter.Acquire("shared") == absl::ZeroDuration()) ++allowed;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(allowed.load(), 500);
}

TEST(PeerHostTest, DropsThePort) {
  EXPECT_EQ(PeerHost("ipv4:10.0.0.7:51234"), "10.0.0.7");
  EXPECT_EQ(PeerHost("ipv6:[::1]:5000"), "::1");
  EXPECT_EQ(PeerHost("ipv6:[2001:db8::5]:443"), "2001:db8::5");
  EXPECT_EQ(PeerHost("unix:/tmp/sock"), "unix:/tmp/sock");
}

TEST(CallRateLimitsTest, AddressesShareABucketAcrossPortsAndAnswerWithRetryInfo) {
  FakeClock clock;
  CallRateLimits limits({.per_second = 0, .burst = 1}, {.per_second = 4, .burst = 2}, clock.AsClock());
  EXPECT_TRUE(limits.CheckAddress("ipv4:10.0.0.7:1000").ok());
  EXPECT_TRUE(limits.CheckAddress("ipv4:10.0.0.7:2000").ok());
  absl::Status refused = limits.CheckAddress("ipv4:10.0.0.7:3000");
  EXPECT_EQ(refused.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(refused.message(), HasSubstr("10.0.0.7"));
  EXPECT_THAT(refused.message(), HasSubstr("retry after 0.250s"));
  EXPECT_EQ(RetryDelayOf(refused), absl::Milliseconds(250));
  EXPECT_TRUE(limits.CheckAddress("ipv4:10.0.0.8:1000").ok());
  EXPECT_TRUE(limits.CheckPrincipal("alice").ok());  // per-principal limit off
}

TEST(CallRateLimitsTest, PrincipalLimit) {
  FakeClock clock;
  CallRateLimits limits({.per_second = 1, .burst = 1}, {.per_second = 0, .burst = 1}, clock.AsClock());
  EXPECT_TRUE(limits.CheckPrincipal("clients/billing").ok());
  absl::Status refused = limits.CheckPrincipal("clients/billing");
  EXPECT_EQ(refused.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(refused.message(), HasSubstr("clients/billing"));
  EXPECT_EQ(RetryDelayOf(refused), absl::Seconds(1));
  clock.now += absl::Seconds(1);
  EXPECT_TRUE(limits.CheckPrincipal("clients/billing").ok());
}

// Issue 8: a registered system's own limit replaces the default for it only.
TEST(CallRateLimitsTest, ASubjectMayHaveItsOwnLimit) {
  FakeClock clock;
  CallRateLimits limits({.per_second = 1, .burst = 1}, {.per_second = 0, .burst = 1}, clock.AsClock());
  limits.SetPrincipalLimit("clients/census", {.per_second = 100, .burst = 50});
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(limits.CheckPrincipal("clients/census").ok()) << i;
  absl::Status refused = limits.CheckPrincipal("clients/census");
  EXPECT_EQ(refused.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(refused.message(), HasSubstr("registered for it"));
  EXPECT_EQ(RetryDelayOf(refused), absl::Milliseconds(10));
  EXPECT_TRUE(limits.CheckPrincipal("users/someone").ok());
  EXPECT_FALSE(limits.CheckPrincipal("users/someone").ok()) << "the default still holds for everybody else";
}

TEST(RateLimitFlagsTest, ParsesAndValidates) {
  Flags flags;
  DefineRateLimitFlags(flags);
  const char* argv[] = {"gateway", "--rate_limit_per_principal=0.5", "--rate_limit_principal_burst=3",
                        "--rate_limit_per_address=abc"};
  ASSERT_TRUE(flags.Parse(4, argv, [](const std::string&) { return std::nullopt; }).ok());
  auto principal = PrincipalRateLimitFromFlags(flags);
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_EQ(principal->per_second, 0.5);
  EXPECT_EQ(principal->burst, 3);
  auto address = AddressRateLimitFromFlags(flags);
  EXPECT_EQ(address.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(address.status().message(), HasSubstr("--rate_limit_per_address=abc"));
}

}  // namespace
}  // namespace gridserve::gateway
