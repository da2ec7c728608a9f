// audit list | verify.
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "tools/gridctl/commands.h"
#include "tools/gridctl/output.h"

namespace gridserve::gridctl {
namespace {

std::string KindName(v1::AuditKind kind) {
  switch (kind) {
    case v1::AUDIT_KIND_WRITE:
      return "write";
    case v1::AUDIT_KIND_PERSONAL_DATA_READ:
      return "pii-read";
    case v1::AUDIT_KIND_LOGIN:
      return "login";
    default:
      return "-";
  }
}

// Sets the timestamp only when the flag is given: an unset field means "no bound".
absl::Status TimeFlag(const CommandLine& line, const char* name, v1::ListAuditEntriesRequest& request,
                      google::protobuf::Timestamp* (v1::ListAuditEntriesRequest::*field)()) {
  std::optional<std::string> value = line.Flag(name);
  if (!value.has_value()) return absl::OkStatus();
  absl::StatusOr<absl::Time> time = ParseTimeFlag(name, *value, absl::Now(), absl::LocalTimeZone());
  if (!time.ok()) return time.status();
  (request.*field)()->set_seconds(absl::ToUnixSeconds(*time));
  return absl::OkStatus();
}

absl::Status List(Invocation& run) {
  absl::StatusOr<int> page_size = IntFlag(run.line, "page-size", 0, 1, 1000);
  if (!page_size.ok()) return page_size.status();
  v1::ListAuditEntriesRequest request;
  request.set_subject(run.line.Flag("subject").value_or(""));
  request.set_method(run.line.Flag("method").value_or(""));
  request.set_resource_prefix(run.line.Flag("resource-prefix").value_or(""));
  if (absl::Status s = TimeFlag(run.line, "since", request, &v1::ListAuditEntriesRequest::mutable_start_time);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = TimeFlag(run.line, "until", request, &v1::ListAuditEntriesRequest::mutable_end_time); !s.ok()) {
    return s;
  }
  request.set_page_size(*page_size);
  request.set_page_token(run.line.Flag("page-token").value_or(""));
  bool all = run.line.Has("all");
  v1::ListAuditEntriesResponse result;
  absl::Status listed = ListPages(
      run.gateway, request, all, result,
      [&](grpc::ClientContext* context, const v1::ListAuditEntriesRequest& page_request,
          v1::ListAuditEntriesResponse* page) { return run.gateway.audit().ListAuditEntries(context, page_request, page); },
      [](v1::ListAuditEntriesResponse& into, const v1::ListAuditEntriesResponse& page) {
        into.mutable_entries()->MergeFrom(page.entries());
      });
  if (!listed.ok()) return listed;
  if (run.line.global.json) {
    run.out << ToJson(result);
    return absl::OkStatus();
  }
  Table table({"SEQ", "TIME", "KIND", "SUBJECT", "ROLES", "METHOD", "RESOURCE", "RESULT", "CLIENT"});
  for (const v1::AuditEntry& entry : result.entries()) {
    table.AddRow({absl::StrCat(entry.sequence()), FormatTimestamp(entry.time()), KindName(entry.kind()),
                  entry.subject(), entry.roles().empty() ? "-" : entry.roles(),
                  std::string(absl::StripPrefix(entry.method(), "/gridserve.")),
                  entry.resource().empty() ? "-" : entry.resource(),
                  entry.phase() == v1::AUDIT_PHASE_STARTED ? "started" : entry.result_code(),
                  entry.client_address().empty() ? "-" : entry.client_address()});
  }
  run.out << (table.empty() ? "No audit entries match.\n" : table.Render());
  if (!result.next_page_token().empty()) {
    run.out << "More entries: repeat with --page-token=" << result.next_page_token() << ", or use --all.\n";
  }
  return absl::OkStatus();
}

absl::Status Verify(Invocation& run) {
  v1::VerifyAuditChainResponse response;
  absl::Status status = Invoke(run.gateway, true, [&](grpc::ClientContext* context) {
    return run.gateway.audit().VerifyAuditChain(context, {}, &response);
  });
  if (!status.ok()) return status;
  if (run.line.global.json) {
    run.out << ToJson(response);
  } else if (response.intact()) {
    run.out << "Audit chain intact: " << response.entries_checked() << " entries checked.\n";
  }
  if (response.intact()) return absl::OkStatus();
  return LocalError(absl::StrCat("the audit chain is BROKEN at entry ", response.first_broken_sequence(), ": ",
                                 response.problem(), " (", response.entries_checked(), " entries checked)"));
}

}  // namespace

void AddAuditCommands(CommandSet& commands) {
  commands.Add(
      {.path = "audit list",
       .flags = {{"subject", "SUBJECT", "only calls by this subject, e.g. users/42"},
                 {"method", "METHOD", "only this full method, e.g. /gridserve.gateway.v1.AccountService/CreateUser"},
                 {"resource-prefix", "CODE", "only resources whose org code starts with this"},
                 {"since", "TIME", "from this time: 2024-05-01, \"2024-05-01 08:00\", RFC 3339, or 2h (ago)"},
                 {"until", "TIME", "up to this time (same forms)"},
                 {"page-size", "N", "entries per page (1-1000; default: the server's)"},
                 {"page-token", "TOKEN", "continue from a previous page"},
                 {"all", "", "follow next_page_token and print every page"}},
       .summary = "List audit log entries, newest first (needs AUDITOR)."},
      List);
  commands.Add({.path = "audit verify",
                .summary = "Recompute the audit hash chain; exit code 1 if an entry was altered or removed."},
               Verify);
}

}  // namespace gridserve::gridctl
