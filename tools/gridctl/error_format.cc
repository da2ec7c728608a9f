#include "tools/gridctl/error_format.h"

#include "absl/strings/ascii.h"
#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "common/errors.h"
#include "tools/gridctl/command_line.h"

namespace gridserve::gridctl {
namespace {

constexpr char kLocalPayload[] = "type.gridserve.dev/gridctl.LocalError";

// The server's message without a prefix we are about to print anyway.
std::string Detail(const absl::Status& status, absl::string_view prefix) {
  absl::string_view message = status.message();
  if (absl::StartsWithIgnoreCase(message, prefix)) message.remove_prefix(prefix.size());
  return std::string(absl::StripLeadingAsciiWhitespace(absl::StripPrefix(message, ":")));
}

std::string WithDetail(absl::string_view words, const std::string& detail) {
  return detail.empty() ? std::string(words) : absl::StrCat(words, ": ", detail);
}

std::string InvalidRequest(const absl::Status& status) {
  std::vector<FieldViolation> violations = FieldViolationsOf(status);
  if (violations.empty()) return WithDetail("invalid request", Detail(status, "invalid request"));
  std::vector<std::string> parts;
  for (const FieldViolation& v : violations) parts.push_back(absl::StrCat(v.field, ": ", v.description));
  return absl::StrCat("invalid request: ", absl::StrJoin(parts, "; "));
}

}  // namespace

absl::Status LocalError(absl::string_view message) {
  absl::Status status(absl::StatusCode::kFailedPrecondition, message);
  status.SetPayload(kLocalPayload, absl::Cord("1"));
  return status;
}

std::string FormatError(const absl::Status& status, const ErrorContext& context) {
  std::string line;
  if (IsUsageError(status) || status.GetPayload(kLocalPayload).has_value()) {
    line = std::string(status.message());
  } else {
    std::string detail(status.message());
    switch (status.code()) {
      case absl::StatusCode::kOk:
        return "";
      case absl::StatusCode::kInvalidArgument:
        line = InvalidRequest(status);
        break;
      case absl::StatusCode::kUnauthenticated:
        line = absl::StrCat("not logged in or session expired: run `gridctl login NAME`",
                            detail.empty() ? "" : absl::StrCat(" (", detail, ")"));
        break;
      case absl::StatusCode::kPermissionDenied:
        line = WithDetail("permission denied", Detail(status, "permission denied"));
        break;
      case absl::StatusCode::kNotFound:
        line = WithDetail("not found", Detail(status, "not found"));
        break;
      case absl::StatusCode::kAlreadyExists:
        line = WithDetail("already exists", Detail(status, "already exists"));
        break;
      case absl::StatusCode::kFailedPrecondition:
        line = WithDetail("not possible now", detail);
        break;
      case absl::StatusCode::kAborted:
        line = WithDetail("conflict with a concurrent change, try again", detail);
        break;
      case absl::StatusCode::kOutOfRange:
        line = WithDetail("out of range", detail);
        break;
      case absl::StatusCode::kResourceExhausted: {
        line = WithDetail("too many requests", detail);
        if (absl::Duration delay = RetryDelayOf(status); delay >= absl::ZeroDuration()) {
          absl::StrAppend(&line, " (retry in ", absl::FormatDuration(delay), ")");
        }
        break;
      }
      case absl::StatusCode::kUnavailable:
        line = absl::StrCat("cannot reach the gateway at ", context.server, detail.empty() ? "" : ": ", detail);
        break;
      case absl::StatusCode::kDeadlineExceeded:
        line = absl::StrCat("the gateway at ", context.server, " did not answer within ",
                            absl::FormatDuration(context.timeout), " (raise --timeout if it is just slow)");
        break;
      case absl::StatusCode::kUnimplemented:
        line = absl::StrCat("the gateway at ", context.server, " does not offer this call", detail.empty() ? "" : ": ",
                            detail);
        break;
      case absl::StatusCode::kCancelled:
        line = WithDetail("cancelled", detail);
        break;
      default:
        line = absl::StrCat("server error (", absl::StatusCodeToString(status.code()), ")", detail.empty() ? "" : ": ",
                            detail);
        break;
    }
  }
  // One line, whatever the server put in its message.
  for (char& c : line) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return "gridctl: " + line;
}

int ExitCodeFor(const absl::Status& status) {
  if (status.ok()) return 0;
  return IsUsageError(status) ? 2 : 1;
}

}  // namespace gridserve::gridctl
