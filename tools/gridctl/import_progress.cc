#include "tools/gridctl/import_progress.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace gridserve::gridctl {

namespace mv1 = ::gridserve::membership::v1;

std::string ImportProgressDisplay::Bar(int64_t done, int64_t total, int width) {
  int64_t percent = total <= 0 ? 0 : std::clamp<int64_t>(done * 100 / total, 0, 100);
  int filled = static_cast<int>(percent * width / 100);
  return absl::StrFormat("[%s%s] %3d%%", std::string(filled, '#'), std::string(width - filled, '.'), percent);
}

std::string ImportProgressDisplay::Bytes(int64_t bytes) {
  if (bytes < 1024) return absl::StrCat(bytes, " bytes");
  if (bytes < 1024 * 1024) return absl::StrFormat("%.1f KiB", bytes / 1024.0);
  return absl::StrFormat("%.1f MiB", bytes / (1024.0 * 1024.0));
}

void ImportProgressDisplay::Sent(int64_t bytes) { Show(Phase::kSending, bytes, file_bytes_); }

void ImportProgressDisplay::Server(const mv1::ImportProgress& progress) {
  switch (progress.phase()) {
    case mv1::IMPORT_PHASE_VALIDATING:
      Show(Phase::kValidating, progress.rows_done(), progress.rows_total());
      break;
    case mv1::IMPORT_PHASE_WRITING:
      Show(Phase::kWriting, progress.rows_done(), progress.rows_total());
      break;
    default:
      // RECEIVING counts the bytes Sent already showed.
      break;
  }
}

void ImportProgressDisplay::Show(Phase phase, int64_t done, int64_t total) {
  // Phases only move forward: a late message of an earlier phase is ignored.
  if (phase < phase_) return;
  const bool new_phase = phase != phase_;
  if (new_phase) Finish();
  phase_ = phase;
  if (!terminal_) {
    if (!new_phase) return;
    switch (phase) {
      case Phase::kSending:
        err_ << "import: sending " << file_name_ << " (" << Bytes(file_bytes_) << ")\n";
        break;
      case Phase::kValidating:
        err_ << "import: validating " << total << " rows\n";
        break;
      case Phase::kWriting:
        if (dry_run_) {
          err_ << "import: matching " << total << " rows with the register (dry run: nothing is written)\n";
        } else {
          err_ << "import: matching and writing " << total << " rows\n";
        }
        break;
      case Phase::kNone:
        break;
    }
    err_.flush();
    return;
  }
  std::string line;
  switch (phase) {
    case Phase::kSending:
      line = absl::StrCat("sending     ", Bar(done, total), "  ", Bytes(done), " of ", Bytes(total));
      break;
    case Phase::kValidating:
      line = absl::StrCat("validating  ", Bar(done, total), "  ", done, " of ", total, " rows");
      break;
    case Phase::kWriting:
      line = absl::StrCat(dry_run_ ? "matching    " : "writing     ", Bar(done, total), "  ", done, " of ", total,
                          " rows");
      break;
    case Phase::kNone:
      return;
  }
  if (line == last_line_) return;
  // Pad with spaces so a shorter line fully covers the previous one.
  std::string padded = line;
  if (padded.size() < last_line_.size()) padded.append(last_line_.size() - padded.size(), ' ');
  err_ << "\r" << padded;
  err_.flush();
  last_line_ = line;
}

void ImportProgressDisplay::Finish() {
  if (terminal_ && !last_line_.empty()) {
    err_ << "\n";
    err_.flush();
  }
  last_line_.clear();
}

}  // namespace gridserve::gridctl
