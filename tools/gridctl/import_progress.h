#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "gridserve/membership/v1/member.pb.h"

namespace gridserve::gridctl {

// Progress of `gridctl member import` on stderr, in three phases: sending
// the file (counted here), then validating and writing (reported by the
// server: see dry_run_ for the last one's name). On a terminal each phase is a bar redrawn in place ("\r"), ending
// with a newline when the phase is over; elsewhere (logs, tests) each phase
// is one plain line when it starts, so the output stays readable and stable.
class ImportProgressDisplay {
 public:
  ImportProgressDisplay(std::ostream& err, bool terminal, std::string file_name, int64_t file_bytes, bool dry_run)
      : err_(err), terminal_(terminal), file_name_(std::move(file_name)), file_bytes_(file_bytes), dry_run_(dry_run) {}
  ~ImportProgressDisplay() { Finish(); }

  // `bytes` of the file have been handed to the stream.
  void Sent(int64_t bytes);
  // A progress message of the server. RECEIVING repeats what Sent showed.
  void Server(const ::gridserve::membership::v1::ImportProgress& progress);
  // Ends the bar being drawn (if any) with a newline; idempotent.
  void Finish();

  // "[#######.............]  35%" of width 20 + brackets; `total` 0 shows an empty bar.
  static std::string Bar(int64_t done, int64_t total, int width = 20);
  // 1536 -> "1.5 KiB"
  static std::string Bytes(int64_t bytes);

 private:
  enum class Phase { kNone, kSending, kValidating, kWriting };
  void Show(Phase phase, int64_t done, int64_t total);

  std::ostream& err_;
  const bool terminal_;
  const std::string file_name_;
  const int64_t file_bytes_;
  // The server's WRITING phase matches the rows with the register and, unless
  // this is a dry run or a row has a problem, writes them: named accordingly.
  const bool dry_run_;
  Phase phase_ = Phase::kNone;
  std::string last_line_;  // what the terminal shows now (to skip identical redraws)
};

}  // namespace gridserve::gridctl
