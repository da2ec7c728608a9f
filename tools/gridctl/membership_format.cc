#include "tools/gridctl/membership_format.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "tools/gridctl/commands.h"
#include "tools/gridctl/output.h"

namespace gridserve::gridctl {
namespace {

std::string OrDash(const std::string& text) { return text.empty() ? "-" : text; }

// "IN_PROGRESS" (after the enum's prefix) -> "in-progress".
std::string Spelled(absl::string_view enum_name, absl::string_view prefix) {
  std::string text = absl::AsciiStrToLower(absl::StripPrefix(enum_name, prefix));
  return text.empty() || text == "unspecified" ? "-" : absl::StrReplaceAll(text, {{"_", "-"}});
}

// Parses what Spelled prints (case-insensitive, '-' or '_') back into the
// enum, refusing UNSPECIFIED; `accepted` lists the values for the message.
template <typename Enum, typename ParseFn>
absl::StatusOr<Enum> ParseSpelled(absl::string_view flag, const std::string& text, absl::string_view prefix,
                                  ParseFn parse, absl::string_view accepted) {
  std::string name = absl::StrCat(prefix, absl::AsciiStrToUpper(absl::StrReplaceAll(text, {{"-", "_"}})));
  Enum value;
  if (text.empty() || !parse(name, &value) || static_cast<int>(value) == 0) {
    return UsageError(absl::StrCat("--", flag, " must be ", accepted, " (got \"", text, "\")"));
  }
  return value;
}

std::string GenderChinese(mv1::Gender gender) {
  switch (gender) {
    case mv1::GENDER_MALE:
      return "男";
    case mv1::GENDER_FEMALE:
      return "女";
    default:
      return "（未填）";
  }
}

std::string FulfilmentChinese(mv1::FulfilmentStatus status) {
  switch (status) {
    case mv1::FULFILMENT_STATUS_PLEDGED:
      return "已承诺";
    case mv1::FULFILMENT_STATUS_IN_PROGRESS:
      return "践诺中";
    case mv1::FULFILMENT_STATUS_FULFILLED:
      return "已践诺";
    case mv1::FULFILMENT_STATUS_NOT_FULFILLED:
      return "未践诺";
    default:
      return "（未知）";
  }
}

// "label：" padded so the values of a block line up (Chinese labels count two columns).
class FormBlock {
 public:
  explicit FormBlock(int indent = 0) : indent_(indent) {}
  void Add(std::string label, std::string value) { rows_.push_back({std::move(label), std::move(value)}); }
  std::string Render() const {
    int width = 0;
    for (const auto& [label, value] : rows_) width = std::max(width, DisplayWidth(label) + 2);
    std::string text;
    for (const auto& [label, value] : rows_) {
      std::string head = absl::StrCat(std::string(indent_, ' '), label, "：");
      head += std::string(std::max(0, width - DisplayWidth(label) - 2), ' ');
      // Continuation lines of a multi-line value start under the value.
      std::string continuation = "\n" + std::string(indent_ + width + 1, ' ');
      absl::StrAppend(&text, head, " ", absl::StrReplaceAll(value, {{"\n", continuation}}), "\n");
    }
    return text;
  }

 private:
  int indent_;
  std::vector<std::pair<std::string, std::string>> rows_;
};

// Sets the string field `name` of `message` (a name from this file, so it exists).
void SetField(google::protobuf::Message& message, const char* name, const std::string& value) {
  message.GetReflection()->SetString(&message, message.GetDescriptor()->FindFieldByName(name), value);
}

}  // namespace

std::string GenderText(mv1::Gender gender) { return Spelled(mv1::Gender_Name(gender), "GENDER_"); }
std::string MemberStatusText(mv1::MemberStatus status) {
  return Spelled(mv1::MemberStatus_Name(status), "MEMBER_STATUS_");
}
std::string EndReasonText(mv1::EndReason reason) { return Spelled(mv1::EndReason_Name(reason), "END_REASON_"); }
std::string FulfilmentStatusText(mv1::FulfilmentStatus status) {
  return Spelled(mv1::FulfilmentStatus_Name(status), "FULFILMENT_STATUS_");
}
std::string MemberEventKindText(mv1::MemberEventKind kind) {
  return Spelled(mv1::MemberEventKind_Name(kind), "MEMBER_EVENT_KIND_");
}

absl::StatusOr<mv1::Gender> ParseGender(absl::string_view flag, const std::string& text) {
  if (text == "男") return mv1::GENDER_MALE;
  if (text == "女") return mv1::GENDER_FEMALE;
  return ParseSpelled<mv1::Gender>(flag, text, "GENDER_", mv1::Gender_Parse, "male or female (or 男, 女)");
}

absl::StatusOr<mv1::MemberStatus> ParseMemberStatus(absl::string_view flag, const std::string& text) {
  return ParseSpelled<mv1::MemberStatus>(flag, text, "MEMBER_STATUS_", mv1::MemberStatus_Parse, "active or ended");
}

absl::StatusOr<mv1::EndReason> ParseEndReason(absl::string_view flag, const std::string& text) {
  return ParseSpelled<mv1::EndReason>(flag, text, "END_REASON_", mv1::EndReason_Parse,
                                      "transferred-out, deceased, withdrawn, expelled or other");
}

absl::StatusOr<mv1::FulfilmentStatus> ParseFulfilmentStatus(absl::string_view flag, const std::string& text) {
  return ParseSpelled<mv1::FulfilmentStatus>(flag, text, "FULFILMENT_STATUS_", mv1::FulfilmentStatus_Parse,
                                             "pledged, in-progress, fulfilled or not-fulfilled");
}

absl::StatusOr<bool> ParseBoolFlag(absl::string_view flag, const std::string& text) {
  std::string value = absl::AsciiStrToLower(text);
  if (value == "true" || value == "yes" || value == "是") return true;
  if (value == "false" || value == "no" || value == "否") return false;
  return UsageError(absl::StrCat("--", flag, " must be true or false (got \"", text, "\")"));
}

absl::StatusOr<mv1::DutyArea> ParseDutyAreaFlag(const std::string& text) {
  size_t colon = text.find(':');
  std::string code = colon == std::string::npos ? "" : std::string(absl::StripAsciiWhitespace(text.substr(0, colon)));
  std::string name =
      colon == std::string::npos ? "" : std::string(absl::StripAsciiWhitespace(text.substr(colon + 1)));
  if (code.empty() || name.empty()) {
    return UsageError(absl::StrCat("--area must be CODE:名称, e.g. --area=INDUSTRY_GUIDANCE:指导帮扶产业发展 (got \"",
                                   text, "\")"));
  }
  mv1::DutyArea area;
  area.set_code(code);
  area.set_display_name(name);
  return area;
}

absl::StatusOr<mv1::UpdateMemberRequest> MemberUpdateFromFlags(const CommandLine& line) {
  mv1::UpdateMemberRequest request;
  mv1::Member& member = *request.mutable_member();
  member.set_member_id(MemberIdArgument(line.arguments.at(0)));
  auto mask = [&](const char* path) { request.mutable_update_mask()->add_paths(path); };
  if (std::optional<std::string> text = line.Flag("gender")) {
    absl::StatusOr<mv1::Gender> gender = ParseGender("gender", *text);
    if (!gender.ok()) return gender.status();
    member.set_gender(*gender);
    mask("gender");
  }
  // Plain fields: flag -> Member field (also the mask path), set through
  // reflection so the flag list and the mask cannot disagree.
  for (const auto& [flag, path] : std::vector<std::pair<const char*, const char*>>{
           {"name", "full_name"},
           {"birth-month", "birth_month"},
           {"joined", "joined_date"},
           {"phone", "phone"},
           {"grid", "grid"},
           {"household", "household"},
           {"courtyard", "courtyard"},
           {"notes", "notes"},
           {"national-id", "national_id"},
           {"user", "user"},
       }) {
    if (std::optional<std::string> value = line.Flag(flag)) {
      SetField(member, path, *value);
      mask(path);
    }
  }
  for (const auto& [flag, path] : std::vector<std::pair<const char*, const char*>>{
           {"group-head", "is_group_head"}, {"publicity-consent", "publicity_consent"}}) {
    if (std::optional<std::string> text = line.Flag(flag)) {
      absl::StatusOr<bool> value = ParseBoolFlag(flag, *text);
      if (!value.ok()) return value.status();
      member.GetReflection()->SetBool(&member, member.GetDescriptor()->FindFieldByName(path), *value);
      mask(path);
    }
  }
  if (request.update_mask().paths().empty()) {
    return UsageError(
        "nothing to update: give at least one of --name, --gender, --birth-month, --joined, --phone, --grid, "
        "--household, --courtyard, --notes, --national-id, --user, --group-head, --publicity-consent (to move the "
        "member to another branch use `gridctl member transfer`)");
  }
  return request;
}

absl::StatusOr<mv1::UpdateCommitmentRequest> CommitmentUpdateFromFlags(const CommandLine& line) {
  mv1::UpdateCommitmentRequest request;
  mv1::Commitment& commitment = *request.mutable_commitment();
  commitment.set_commitment_id(CommitmentIdArgument(line.arguments.at(0)));
  auto mask = [&](const char* path) { request.mutable_update_mask()->add_paths(path); };
  for (const auto& [flag, path] : std::vector<std::pair<const char*, const char*>>{
           {"target", "target"}, {"measures", "measures"}, {"due", "due_date"}}) {
    if (std::optional<std::string> value = line.Flag(flag)) {
      SetField(commitment, path, *value);
      mask(path);
    }
  }
  if (std::optional<std::string> text = line.Flag("status")) {
    absl::StatusOr<mv1::FulfilmentStatus> status = ParseFulfilmentStatus("status", *text);
    if (!status.ok()) return status.status();
    commitment.set_status(*status);
    mask("status");
  }
  if (line.Has("evidence")) {
    for (const std::string& evidence : line.Values("evidence")) {
      if (!evidence.empty()) commitment.add_evidence(evidence);
    }
    mask("evidence");
  }
  if (std::optional<std::string> value = line.Flag("signed")) {
    commitment.set_signed_date(*value);
    mask("signed_date");
  }
  if (request.update_mask().paths().empty()) {
    return UsageError("nothing to update: give at least one of --target, --measures, --due, --status, --evidence, "
                      "--signed");
  }
  return request;
}

std::string MemberText(const mv1::Member& member) {
  std::vector<std::pair<std::string, std::string>> rows = {
      {"member id", member.member_id()},
      {"name", member.full_name()},
      {"gender", GenderText(member.gender())},
      {"birth month", OrDash(member.birth_month())},
      {"joined the party", OrDash(member.joined_date())},
      {"phone", OrDash(member.phone())},
      {"branch", member.branch_code()},
      {"grid", OrDash(member.grid())},
      {"household", OrDash(member.household())},
      {"courtyard", OrDash(member.courtyard())},
      {"group head", member.is_group_head() ? "yes" : "no"},
      {"publicity consent", member.publicity_consent() ? "yes" : "no"},
      {"national id", member.national_id_last4().empty() ? "-" : "…" + member.national_id_last4()},
      {"user", OrDash(member.user())},
      {"notes", OrDash(member.notes())},
      {"status", MemberStatusText(member.status())},
  };
  if (member.status() == mv1::MEMBER_STATUS_ENDED) {
    rows.push_back({"ended", absl::StrCat(OrDash(member.end_date()), " (", EndReasonText(member.end_reason()),
                                          member.end_note().empty() ? "" : ": " + member.end_note(), ")")});
  }
  if (member.demo_data()) rows.push_back({"demo data", "yes (invented by tools/dev up)"});
  rows.push_back({"created", FormatTimestamp(member.create_time())});
  rows.push_back({"updated", FormatTimestamp(member.update_time())});
  return KeyValues(rows);
}

std::string CommitmentText(const mv1::Commitment& commitment) {
  return KeyValues({
      {"commitment id", commitment.commitment_id()},
      {"member id", commitment.member_id()},
      {"year", absl::StrCat(commitment.year())},
      {"target", commitment.target()},
      {"measures", commitment.measures()},
      {"due", OrDash(commitment.due_date())},
      {"status", FulfilmentStatusText(commitment.status())},
      {"evidence", commitment.evidence().empty() ? "-" : absl::StrJoin(commitment.evidence(), ", ")},
      {"signed", OrDash(commitment.signed_date())},
      {"created", FormatTimestamp(commitment.create_time())},
      {"updated", FormatTimestamp(commitment.update_time())},
  });
}

std::string AreaList(const google::protobuf::RepeatedPtrField<std::string>& codes,
                     const std::map<std::string, std::string>& area_names) {
  if (codes.empty()) return "-";
  std::vector<std::string> parts;
  for (const std::string& code : codes) {
    auto name = area_names.find(code);
    parts.push_back(name == area_names.end() ? code : absl::StrCat(code, " (", name->second, ")"));
  }
  return absl::StrJoin(parts, ", ");
}

std::string DutiesText(const mv1::MemberDuties& duties, const std::map<std::string, std::string>& area_names) {
  return KeyValues({
      {"member id", duties.member_id()},
      {"name", OrDash(duties.member_full_name())},
      {"branch", OrDash(duties.branch_code())},
      {"year", absl::StrCat(duties.year())},
      {"areas", AreaList(duties.area_codes(), area_names)},
      {"duties in own words", OrDash(duties.free_text())},
      {"updated", FormatTimestamp(duties.update_time())},
  });
}

std::string CommitmentFormText(const mv1::CommitmentForm& form) {
  std::string text = absl::StrCat("党员承诺践诺书（", form.year(), "年度）\n\n");
  FormBlock block;
  block.Add("姓名", form.full_name());
  block.Add("性别", GenderChinese(form.gender()));
  block.Add("出生年月", form.birth_month().empty() ? "（未填）" : form.birth_month());
  block.Add("入党时间", form.joined_date().empty() ? "（未填）" : form.joined_date());
  block.Add("联系电话", form.phone().empty() ? "（未填）" : form.phone());
  // The grid comes from grid_assignment; until it answers the form says so
  // rather than inventing one.
  std::string grid = !form.grid_name().empty()           ? form.grid_name()
                     : form.grid_data_available()       ? "未登记网格"
                                                        : "网格数据暂不可用";
  std::string branch = form.branch_name().empty() ? form.branch_code()
                                                  : absl::StrCat(form.branch_name(), " ", form.branch_code());
  block.Add("所在党支部（网格）", absl::StrCat(branch, "（", grid, "）"));
  std::string households = !form.linked_households().empty() ? absl::StrJoin(form.linked_households(), "\n")
                           : form.grid_data_available()       ? "（未联系群众）"
                                                              : "（网格数据暂不可用）";
  block.Add("联系的群众", households);
  std::string duties = "（未设职责）";
  if (form.has_duties() && (!form.duties().area_codes().empty() || !form.duties().free_text().empty())) {
    std::vector<std::string> parts(form.duties().area_codes().begin(), form.duties().area_codes().end());
    if (!form.duties().free_text().empty()) parts.push_back(form.duties().free_text());
    duties = absl::StrJoin(parts, "；");
  }
  block.Add("职责", duties);
  absl::StrAppend(&text, block.Render());

  absl::StrAppend(&text, "服务承诺：", form.commitments().empty() ? " （尚无承诺）" : "", "\n");
  int number = 0;
  for (const mv1::Commitment& commitment : form.commitments()) {
    FormBlock item(6);
    item.Add("目标任务", commitment.target());
    item.Add("服务举措", commitment.measures());
    item.Add("完成时限", commitment.due_date().empty() ? "（未定）" : commitment.due_date());
    item.Add("践诺情况", FulfilmentChinese(commitment.status()));
    if (!commitment.evidence().empty()) item.Add("践诺证明", absl::StrJoin(commitment.evidence(), "\n"));
    std::string rendered = item.Render();
    // "  1. " in front of the first line, in place of its indent.
    rendered.replace(0, 6, absl::StrCat("  ", ++number, ".  ").substr(0, 6));
    absl::StrAppend(&text, rendered);
  }
  FormBlock signature;
  signature.Add("签名日期", form.signed_date().empty() ? "（未签名）    年    月    日" : form.signed_date());
  absl::StrAppend(&text, signature.Render());
  return text;
}

std::string ImportReportText(const mv1::ImportReport& report, const std::string& file_name,
                             const std::string& request_id) {
  std::string what = absl::StrCat(file_name, " (", OrDash(report.detected_encoding()), ")");
  std::string text;
  if (report.rows_with_problems() > 0) {
    text = absl::StrCat(report.dry_run() ? "Dry run of " : "", what, ": ", report.rows_with_problems(), " of ",
                        report.rows_total(), " rows have problems; nothing was written.\n");
  } else if (report.dry_run()) {
    text = absl::StrCat("Dry run of ", what, ": all ", report.rows_total(), " rows are valid; nothing was written.\n");
  } else if (report.committed()) {
    text = absl::StrCat("Imported ", what, ": ", report.rows_total(), " rows.\n");
  } else {
    text = absl::StrCat(what, ": nothing was written.\n");
  }
  // A dry run counts what an import would do.
  const char* verb = report.dry_run() ? "would " : "";
  absl::StrAppend(&text, KeyValues({
                             {"rows", absl::StrCat(report.rows_total())},
                             {absl::StrCat(verb, report.dry_run() ? "create" : "created"), absl::StrCat(report.created())},
                             {absl::StrCat(verb, report.dry_run() ? "update" : "updated"), absl::StrCat(report.updated())},
                             {"unchanged", absl::StrCat(report.unchanged())},
                             {"rows with problems", absl::StrCat(report.rows_with_problems())},
                             {"request id", OrDash(request_id)},
                         }));
  if (!report.problems().empty()) {
    Table table({"ROW", "COLUMN", "FIELD", "PROBLEM"});
    for (const mv1::ImportRowProblem& problem : report.problems()) {
      table.AddRow({absl::StrCat(problem.row_number()), OrDash(problem.column()), OrDash(problem.field()),
                    problem.problem()});
    }
    absl::StrAppend(&text, "\n", table.Render());
    // The server sends at most 1000 problems; say when there may be more.
    if (report.problems_size() >= 1000) {
      absl::StrAppend(&text, "(the first ", report.problems_size(), " problems; fix them and import again for the rest)\n");
    }
  }
  return text;
}

}  // namespace gridserve::gridctl
