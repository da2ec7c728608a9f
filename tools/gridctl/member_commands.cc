// member create | get | list | update | transfer | end | history | import.
#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "tools/gridctl/commands.h"
#include "tools/gridctl/import_progress.h"
#include "tools/gridctl/membership_format.h"
#include "tools/gridctl/output.h"

namespace gridserve::gridctl {
namespace {

constexpr int kMaxMemberPageSize = 500;
// The file goes up in pieces of this size (the server takes at most 1 MiB each).
constexpr size_t kImportChunkBytes = 256 * 1024;
// An import validates and writes up to 50,000 rows; the server allows it 5 minutes.
constexpr absl::Duration kMinImportTimeout = absl::Minutes(5);

absl::Status PrintMember(Invocation& run, const mv1::Member& member) {
  run.out << (run.line.global.json ? ToJson(member) : MemberText(member));
  return absl::OkStatus();
}

// After a create whose outcome the caller cannot know (the answer was lost),
// the request id is what makes a retry safe: say so.
absl::Status WithRetryNote(Invocation& run, absl::Status status, const std::string& request_id) {
  if (!status.ok() && !run.line.Has("request-id") &&
      (absl::IsDeadlineExceeded(status) || absl::IsUnavailable(status) || absl::IsCancelled(status) ||
       absl::IsUnknown(status) || absl::IsInternal(status))) {
    run.err << "gridctl: the request may or may not have been carried out; retry with --request-id=" << request_id
            << " so it is not done twice\n";
  }
  return status;
}

absl::Status Create(Invocation& run) {
  if (absl::Status s = RequireFlags(run.line, {"branch", "name", "gender", "birth-month", "joined"}); !s.ok()) {
    return s;
  }
  mv1::CreateMemberRequest request;
  mv1::Member& member = *request.mutable_member();
  member.set_branch_code(*run.line.Flag("branch"));
  member.set_full_name(*run.line.Flag("name"));
  absl::StatusOr<mv1::Gender> gender = ParseGender("gender", *run.line.Flag("gender"));
  if (!gender.ok()) return gender.status();
  member.set_gender(*gender);
  member.set_birth_month(*run.line.Flag("birth-month"));
  member.set_joined_date(*run.line.Flag("joined"));
  member.set_phone(run.line.Flag("phone").value_or(""));
  member.set_national_id(run.line.Flag("national-id").value_or(""));
  member.set_is_group_head(run.line.Has("group-head"));
  member.set_publicity_consent(run.line.Has("publicity-consent"));
  member.set_user(run.line.Flag("user").value_or(""));
  member.set_grid(run.line.Flag("grid").value_or(""));
  member.set_notes(run.line.Flag("notes").value_or(""));
  request.set_request_id(run.line.Flag("request-id").value_or(NewRequestId()));
  mv1::CreateMemberResponse response;
  absl::Status status = Invoke(run.gateway, true, [&](grpc::ClientContext* context) {
    return run.gateway.members().CreateMember(context, request, &response);
  });
  if (!status.ok()) return WithRetryNote(run, status, request.request_id());
  if (run.line.global.json) {
    run.out << ToJson(response.member());
    // stdout stays one JSON document; a generated id still gets reported.
    if (!run.line.Has("request-id")) run.err << "gridctl: request id " << request.request_id() << "\n";
  } else {
    run.out << MemberText(response.member())
            << KeyValues({{"request id", request.request_id() + " (repeating the create with it changes nothing)"}});
  }
  return absl::OkStatus();
}

absl::Status Get(Invocation& run) {
  mv1::GetMemberRequest request;
  request.set_member_id(MemberIdArgument(run.line.arguments[0]));
  mv1::GetMemberResponse response;
  absl::Status status = Invoke(run.gateway, true, [&](grpc::ClientContext* context) {
    return run.gateway.members().GetMember(context, request, &response);
  });
  if (!status.ok()) return status;
  return PrintMember(run, response.member());
}

absl::Status List(Invocation& run) {
  if (absl::Status s = RequireFlags(run.line, {"org"}); !s.ok()) return s;
  absl::StatusOr<PageFlags> pages = PageFlagsOf(run.line, kMaxMemberPageSize);
  if (!pages.ok()) return pages.status();
  mv1::ListMembersRequest request;
  request.set_org_code(*run.line.Flag("org"));
  if (std::optional<std::string> text = run.line.Flag("status")) {
    absl::StatusOr<mv1::MemberStatus> status = ParseMemberStatus("status", *text);
    if (!status.ok()) return status.status();
    request.set_status(*status);
  }
  request.set_name_prefix(run.line.Flag("name-prefix").value_or(""));
  request.set_grid(run.line.Flag("grid").value_or(""));
  absl::StatusOr<int> joined_year = IntFlag(run.line, "joined-year", 0, 1900, 2100);
  if (!joined_year.ok()) return joined_year.status();
  request.set_joined_year(*joined_year);
  request.set_page_size(pages->page_size);
  request.set_page_token(pages->page_token);
  mv1::ListMembersResponse result;
  absl::Status listed = ListPages(
      run.gateway, request, pages->all, result,
      [&](grpc::ClientContext* context, const mv1::ListMembersRequest& page_request, mv1::ListMembersResponse* page) {
        return run.gateway.members().ListMembers(context, page_request, page);
      },
      [](mv1::ListMembersResponse& into, const mv1::ListMembersResponse& page) {
        into.mutable_members()->MergeFrom(page.members());
      });
  if (!listed.ok()) return listed;
  if (run.line.global.json) {
    run.out << ToJson(result);
    return absl::OkStatus();
  }
  Table table({"MEMBER ID", "NAME", "GENDER", "BORN", "JOINED", "PHONE", "BRANCH", "STATUS"});
  for (const mv1::Member& member : result.members()) {
    table.AddRow({member.member_id(), member.full_name(), GenderText(member.gender()), member.birth_month(),
                  member.joined_date(), member.phone().empty() ? "-" : member.phone(), member.branch_code(),
                  MemberStatusText(member.status())});
  }
  run.out << (table.empty() ? "No members match.\n" : table.Render()) << MorePagesHint("members", result.next_page_token());
  return absl::OkStatus();
}

absl::Status Update(Invocation& run) {
  absl::StatusOr<mv1::UpdateMemberRequest> request = MemberUpdateFromFlags(run.line);
  if (!request.ok()) return request.status();
  mv1::UpdateMemberResponse response;
  absl::Status status = Invoke(run.gateway, true, [&](grpc::ClientContext* context) {
    return run.gateway.members().UpdateMember(context, *request, &response);
  });
  if (!status.ok()) return status;
  return PrintMember(run, response.member());
}

absl::Status Transfer(Invocation& run) {
  if (absl::Status s = RequireFlags(run.line, {"to", "reason"}); !s.ok()) return s;
  mv1::TransferMemberRequest request;
  request.set_member_id(MemberIdArgument(run.line.arguments[0]));
  request.set_to_branch_code(*run.line.Flag("to"));
  request.set_reason(*run.line.Flag("reason"));
  request.set_effective_date(run.line.Flag("date").value_or(""));
  request.set_request_id(run.line.Flag("request-id").value_or(NewRequestId()));
  mv1::TransferMemberResponse response;
  absl::Status status = Invoke(run.gateway, true, [&](grpc::ClientContext* context) {
    return run.gateway.members().TransferMember(context, request, &response);
  });
  if (!status.ok()) return WithRetryNote(run, status, request.request_id());
  return PrintMember(run, response.member());
}

absl::Status End(Invocation& run) {
  if (absl::Status s = RequireFlags(run.line, {"reason"}); !s.ok()) return s;
  absl::StatusOr<mv1::EndReason> reason = ParseEndReason("reason", *run.line.Flag("reason"));
  if (!reason.ok()) return reason.status();
  mv1::EndMembershipRequest request;
  request.set_member_id(MemberIdArgument(run.line.arguments[0]));
  request.set_reason(*reason);
  request.set_note(run.line.Flag("note").value_or(""));
  request.set_end_date(run.line.Flag("date").value_or(""));
  mv1::EndMembershipResponse response;
  absl::Status status = Invoke(run.gateway, true, [&](grpc::ClientContext* context) {
    return run.gateway.members().EndMembership(context, request, &response);
  });
  if (!status.ok()) return status;
  return PrintMember(run, response.member());
}

absl::Status History(Invocation& run) {
  absl::StatusOr<PageFlags> pages = PageFlagsOf(run.line, kMaxMemberPageSize);
  if (!pages.ok()) return pages.status();
  mv1::ListMemberEventsRequest request;
  request.set_member_id(MemberIdArgument(run.line.arguments[0]));
  request.set_page_size(pages->page_size);
  request.set_page_token(pages->page_token);
  mv1::ListMemberEventsResponse result;
  absl::Status listed = ListPages(
      run.gateway, request, pages->all, result,
      [&](grpc::ClientContext* context, const mv1::ListMemberEventsRequest& page_request,
          mv1::ListMemberEventsResponse* page) {
        return run.gateway.members().ListMemberEvents(context, page_request, page);
      },
      [](mv1::ListMemberEventsResponse& into, const mv1::ListMemberEventsResponse& page) {
        into.mutable_events()->MergeFrom(page.events());
      });
  if (!listed.ok()) return listed;
  if (run.line.global.json) {
    run.out << ToJson(result);
    return absl::OkStatus();
  }
  Table table({"TIME", "EVENT", "FROM", "TO", "EFFECTIVE", "BY", "DETAIL"});
  for (const mv1::MemberEvent& event : result.events()) {
    table.AddRow({FormatTimestamp(event.create_time()), MemberEventKindText(event.kind()),
                  event.from_branch_code().empty() ? "-" : event.from_branch_code(),
                  event.to_branch_code().empty() ? "-" : event.to_branch_code(),
                  event.effective_date().empty() ? "-" : event.effective_date(), event.actor().empty() ? "-" : event.actor(),
                  event.detail().empty() ? "-" : event.detail()});
  }
  run.out << (table.empty() ? "No events.\n" : table.Render()) << MorePagesHint("events", result.next_page_token());
  return absl::OkStatus();
}

absl::Status Import(Invocation& run) {
  if (absl::Status s = RequireFlags(run.line, {"org"}); !s.ok()) return s;
  const std::filesystem::path path = run.line.arguments[0];
  std::error_code error;
  const auto file_bytes = std::filesystem::file_size(path, error);
  std::ifstream file(path, std::ios::binary);
  if (error || !file) return LocalError(absl::StrCat("cannot read ", path.string()));

  mv1::ImportMembersRequest header_message;
  mv1::ImportHeader& header = *header_message.mutable_header();
  header.set_org_code(*run.line.Flag("org"));
  header.set_file_name(path.filename().string());
  header.set_dry_run(run.line.Has("dry-run"));
  header.set_request_id(run.line.Flag("request-id").value_or(NewRequestId()));

  grpc::ClientContext context;
  const absl::Duration timeout = std::max(run.line.global.timeout, kMinImportTimeout);
  if (absl::Status s = run.gateway.Prepare(context, true, timeout); !s.ok()) return s;
  ImportProgressDisplay progress(run.err, run.err_is_terminal, header.file_name(), static_cast<int64_t>(file_bytes),
                                 header.dry_run());
  std::unique_ptr<grpc::ClientReaderWriter<mv1::ImportMembersRequest, mv1::ImportMembersResponse>> stream =
      run.gateway.members().ImportMembers(&context);

  // Send everything, then read. The server answers with at most a few dozen
  // small progress messages while receiving, which fit the flow-control
  // window, so writing without reading at the same time cannot stall.
  // A failed Write means the server ended the call: its status says why.
  bool open = stream->Write(header_message);
  std::string buffer(kImportChunkBytes, '\0');
  int64_t sent = 0;
  progress.Sent(0);
  while (open && file) {
    file.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    std::streamsize count = file.gcount();
    if (count <= 0) break;
    mv1::ImportMembersRequest chunk;
    chunk.set_chunk(buffer.data(), static_cast<size_t>(count));
    open = stream->Write(chunk);
    sent += count;
    progress.Sent(sent);
  }
  if (open && file.bad()) {
    context.TryCancel();
    stream->Finish();
    return LocalError(absl::StrCat("reading ", path.string(), " failed after ", sent, " bytes; nothing was imported"));
  }
  if (open) stream->WritesDone();

  mv1::ImportReport report;
  bool have_report = false;
  mv1::ImportMembersResponse response;
  while (stream->Read(&response)) {
    if (response.has_progress()) progress.Server(response.progress());
    if (response.has_report()) {
      report = response.report();
      have_report = true;
    }
  }
  progress.Finish();
  absl::Status status = FromGrpcStatus(stream->Finish());
  if (absl::IsDeadlineExceeded(status)) {
    // The generic message would name --timeout, but an import has its own deadline.
    return LocalError(absl::StrCat("the import did not finish within ", absl::FormatDuration(timeout),
                                   "; whether it was written is unknown: repeat the command with --request-id=",
                                   header.request_id(), " to get its report without importing twice"));
  }
  if (!status.ok()) return status;
  if (!have_report) return LocalError("the server ended the import without a report; nothing is known to be written");

  if (run.line.global.json) {
    run.out << ToJson(report);
  } else {
    run.out << ImportReportText(report, header.file_name(), header.request_id());
  }
  if (report.rows_with_problems() > 0) {
    return LocalError(absl::StrCat(report.rows_with_problems(), " of ", report.rows_total(),
                                   " rows have problems (listed above)",
                                   report.dry_run() ? "" : "; nothing was imported: fix them and import again"));
  }
  if (!report.dry_run() && !report.committed()) return LocalError("the import was not committed");
  return absl::OkStatus();
}

const FlagSpec kRequestId{"request-id", "ID",
                          "idempotency key: repeating the command with it changes nothing (default: a new random "
                          "id, printed)"};

}  // namespace

void AddMemberCommands(CommandSet& commands) {
  commands.Add({.path = "member create",
                .flags = {{"branch", "CODE", "the village or community (党支部) holding the record (required)"},
                          {"name", "NAME", "姓名 (required)"},
                          {"gender", "GENDER", "male or female (男, 女) (required)"},
                          {"birth-month", "YYYY-MM", "出生年月 (required)"},
                          {"joined", "DATE", "入党时间, YYYY-MM-DD or YYYY-MM (required)"},
                          {"phone", "PHONE", "联系电话: mobile or landline with area code, e.g. 023-79223456"},
                          {"national-id", "ID", "身份证号 (stored encrypted, never shown)"},
                          {"group-head", "", "the member heads a village group (组长)"},
                          {"publicity-consent", "", "the member agreed to be shown on the bulletin"},
                          {"user", "users/ID", "the member's login account"},
                          {"grid", "grids/ID", "the member's grid"},
                          {"notes", "TEXT", "free notes (at most 500 characters)"},
                          kRequestId},
                .summary = "Register a party member in a branch."},
               Create);
  commands.Add({.path = "member get",
                .arguments = "MEMBER_ID",
                .min_arguments = 1,
                .max_arguments = 1,
                .summary = "Show one member's record."},
               Get);
  std::vector<FlagSpec> list_flags = {
      {"org", "CODE", "members of this organisation and below (required)"},
      {"status", "STATUS", "active (default) or ended"},
      {"name-prefix", "TEXT", "only names starting with this"},
      {"joined-year", "N", "only members who joined the party in this year"},
      {"grid", "grids/ID", "only members of this grid"}};
  for (FlagSpec& flag : PageFlagSpecs("members", kMaxMemberPageSize)) list_flags.push_back(std::move(flag));
  commands.Add({.path = "member list",
                .flags = list_flags,
                .summary = "List members by branch and name."},
               List);
  commands.Add({.path = "member update",
                .arguments = "MEMBER_ID",
                .min_arguments = 1,
                .max_arguments = 1,
                .flags = {{"name", "NAME", "姓名"},
                          {"gender", "GENDER", "male or female"},
                          {"birth-month", "YYYY-MM", "出生年月"},
                          {"joined", "DATE", "入党时间"},
                          {"phone", "PHONE", "联系电话 (empty to clear)"},
                          {"grid", "grids/ID", "grid (empty to clear)"},
                          {"household", "households/ID", "home household (empty to clear)"},
                          {"courtyard", "courtyards/ID", "home courtyard (empty to clear)"},
                          {"group-head", "BOOL", "true or false"},
                          {"publicity-consent", "BOOL", "true or false"},
                          {"notes", "TEXT", "free notes"},
                          {"national-id", "ID", "身份证号"},
                          {"user", "users/ID", "login account (empty to clear)"}},
                .summary = "Change the fields given as flags (only those: the update mask is built from them)."},
               Update);
  commands.Add({.path = "member transfer",
                .arguments = "MEMBER_ID",
                .min_arguments = 1,
                .max_arguments = 1,
                .flags = {{"to", "CODE", "the receiving village or community (required)"},
                          {"reason", "TEXT", "why, e.g. 搬迁 (required)"},
                          {"date", "YYYY-MM-DD", "effective date (default: today)"},
                          kRequestId},
                .summary = "Move an active member to another branch (kept in the history)."},
               Transfer);
  commands.Add({.path = "member end",
                .arguments = "MEMBER_ID",
                .min_arguments = 1,
                .max_arguments = 1,
                .flags = {{"reason", "REASON", "transferred-out, deceased, withdrawn, expelled or other (required)"},
                          {"note", "TEXT", "details (required with --reason=other)"},
                          {"date", "YYYY-MM-DD", "end date (default: today)"}},
                .summary = "End a membership with a reason (the record is kept)."},
               End);
  commands.Add({.path = "member history",
                .arguments = "MEMBER_ID",
                .min_arguments = 1,
                .max_arguments = 1,
                .flags = PageFlagSpecs("events", kMaxMemberPageSize),
                .summary = "The changes of a member's record, oldest first."},
               History);
  commands.Add({.path = "member import",
                .arguments = "FILE",
                .min_arguments = 1,
                .max_arguments = 1,
                .flags = {{"org", "CODE",
                           "the village or community the roster belongs to, or a town when the file has a "
                           "所在党支部 column (required)"},
                          {"dry-run", "", "validate and report only; write nothing"},
                          kRequestId},
                .summary = "Import a roster (CSV in UTF-8 or GB18030, or XLSX, with the attachment-1 headers "
                           "姓名 性别 出生年月 入党时间 联系电话 ...).\nShows progress on stderr, then the report; "
                           "exit code 1 when any row has a problem (then nothing is written)."},
               Import);
}

}  // namespace gridserve::gridctl
