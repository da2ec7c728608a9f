#include "common/stream_watchdog.h"

#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "grpc/grpc.h"

namespace gridserve {

// One thread for every watchdog of the process: it sleeps until the earliest
// moment one of them may be due, then ends the calls that are.
class WatchdogTimer {
 public:
  static WatchdogTimer& Get() {
    static auto* timer = new WatchdogTimer;  // lives as long as the process
    return *timer;
  }

  void Add(StreamWatchdog* watchdog) {
    absl::MutexLock lock(&mutex_);
    watchdogs_.insert(watchdog);
    changed_ = true;
  }
  void Remove(StreamWatchdog* watchdog) {
    absl::MutexLock lock(&mutex_);
    watchdogs_.erase(watchdog);
  }

 private:
  WatchdogTimer() { std::thread([this] { Loop(); }).detach(); }

  static absl::Time DueTime(const StreamWatchdog& watchdog) {
    return std::min(watchdog.deadline_,
                    absl::FromUnixNanos(watchdog.last_activity_ns_.load()) + watchdog.idle_timeout_);
  }

  void Loop() {
    absl::MutexLock lock(&mutex_);
    while (true) {
      absl::Time now = absl::Now();
      absl::Time next = absl::InfiniteFuture();
      for (StreamWatchdog* watchdog : watchdogs_) {
        if (watchdog->ended_) continue;
        absl::Time due = DueTime(*watchdog);
        if (due > now) {
          next = std::min(next, due);
          continue;
        }
        watchdog->reason_ =
            now >= watchdog->deadline_
                ? "the call ran out of time (its deadline, or this method's longest allowed duration); start again"
                : absl::StrCat("nothing arrived from the client for ", absl::FormatDuration(watchdog->idle_timeout_),
                               ", so the stream was ended; send messages more often, or start again");
        watchdog->ended_ = true;
        grpc_call_cancel_with_status(watchdog->context_.c_call(), GRPC_STATUS_DEADLINE_EXCEEDED,
                                     watchdog->reason_.c_str(), nullptr);
      }
      changed_ = false;
      mutex_.AwaitWithDeadline(absl::Condition(&changed_), next);
    }
  }

  absl::Mutex mutex_;
  std::set<StreamWatchdog*> watchdogs_ ABSL_GUARDED_BY(mutex_);
  bool changed_ ABSL_GUARDED_BY(mutex_) = false;
};

StreamWatchdog::StreamWatchdog(grpc::ServerContextBase& context, absl::Time deadline, absl::Duration idle_timeout)
    : context_(context),
      deadline_(deadline),
      idle_timeout_(idle_timeout),
      last_activity_ns_(absl::ToUnixNanos(absl::Now())) {
  WatchdogTimer::Get().Add(this);
}

StreamWatchdog::~StreamWatchdog() { WatchdogTimer::Get().Remove(this); }

void StreamWatchdog::Touch() { last_activity_ns_ = absl::ToUnixNanos(absl::Now()); }

absl::Status StreamWatchdog::Ended() const {
  if (!ended_) return absl::OkStatus();
  return absl::DeadlineExceededError(reason_);
}

}  // namespace gridserve
