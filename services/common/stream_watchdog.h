#pragma once

#include <atomic>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "grpcpp/server_context.h"

namespace gridserve {

// Ends a client-streaming call whose client stopped sending, or that ran out
// of time, with DEADLINE_EXCEEDED and a message saying which. A synchronous
// handler blocks in Read() while the client is silent; without this a
// stalled client (or one that sent no deadline) would hold a server thread
// for as long as the connection lives. The call is ended from one shared
// timer thread; Read() then returns false.
//
//   StreamWatchdog watchdog(*context, call->deadline, call->rule->idle_timeout);
//   while (stream->Read(&message)) { watchdog.Touch(); ... }
//   if (absl::Status ended = watchdog.Ended(); !ended.ok()) return ToGrpcStatus(ended);
class StreamWatchdog {
 public:
  StreamWatchdog(grpc::ServerContextBase& context, absl::Time deadline, absl::Duration idle_timeout);
  ~StreamWatchdog();  // once it returns, the call is not touched any more
  StreamWatchdog(const StreamWatchdog&) = delete;
  StreamWatchdog& operator=(const StreamWatchdog&) = delete;

  // A message arrived: the idle time starts again.
  void Touch();
  // DEADLINE_EXCEEDED (the message the client was sent) once the watchdog
  // ended the call; OK before.
  absl::Status Ended() const;

 private:
  friend class WatchdogTimer;
  grpc::ServerContextBase& context_;
  const absl::Time deadline_;
  const absl::Duration idle_timeout_;
  std::atomic<int64_t> last_activity_ns_;
  std::atomic<bool> ended_{false};
  std::string reason_;  // written by the timer thread before ended_ is set
};

}  // namespace gridserve
