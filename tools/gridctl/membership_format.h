#pragma once

// Flag parsing and text output of the membership commands (member, duty,
// commitment, report), kept free of I/O so unit tests cover them whole.

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gridserve/membership/v1/commitment.pb.h"
#include "gridserve/membership/v1/duty.pb.h"
#include "gridserve/membership/v1/member.pb.h"
#include "tools/gridctl/command_line.h"

namespace gridserve::gridctl {

namespace mv1 = ::gridserve::membership::v1;

// Enum values as people type them on the command line ("male",
// "transferred-out", "in-progress"); "-" for UNSPECIFIED.
std::string GenderText(mv1::Gender gender);
std::string MemberStatusText(mv1::MemberStatus status);
std::string EndReasonText(mv1::EndReason reason);
std::string FulfilmentStatusText(mv1::FulfilmentStatus status);
std::string MemberEventKindText(mv1::MemberEventKind kind);

// The same values parsed from a flag; a bad value is a usage error that
// names `flag` and lists the accepted values. Gender also takes 男/女.
absl::StatusOr<mv1::Gender> ParseGender(absl::string_view flag, const std::string& text);
absl::StatusOr<mv1::MemberStatus> ParseMemberStatus(absl::string_view flag, const std::string& text);
absl::StatusOr<mv1::EndReason> ParseEndReason(absl::string_view flag, const std::string& text);
absl::StatusOr<mv1::FulfilmentStatus> ParseFulfilmentStatus(absl::string_view flag, const std::string& text);
// true/false, yes/no, 是/否.
absl::StatusOr<bool> ParseBoolFlag(absl::string_view flag, const std::string& text);

// "--area=CODE:名称" of `duty set-areas`: the code before the first ':',
// the display name after it; both required.
absl::StatusOr<mv1::DutyArea> ParseDutyAreaFlag(const std::string& text);

// `member update ID --flag=value ...`: the member with the given fields and
// an update mask naming exactly them (in a fixed order). Nothing given is a
// usage error.
absl::StatusOr<mv1::UpdateMemberRequest> MemberUpdateFromFlags(const CommandLine& line);
// `commitment update ID ...`: likewise; --evidence (repeatable) replaces the
// evidence list, and a single empty --evidence= clears it.
absl::StatusOr<mv1::UpdateCommitmentRequest> CommitmentUpdateFromFlags(const CommandLine& line);

// One record as "key: value" lines.
std::string MemberText(const mv1::Member& member);
std::string CommitmentText(const mv1::Commitment& commitment);
// `area_names` maps the town's area codes to their names (may be empty).
std::string DutiesText(const mv1::MemberDuties& duties, const std::map<std::string, std::string>& area_names);
// "POLICY_PUBLICITY (宣传政策), INDUSTRY_GUIDANCE" or "-".
std::string AreaList(const google::protobuf::RepeatedPtrField<std::string>& codes,
                     const std::map<std::string, std::string>& area_names);

// The attachment-1 form 党员承诺践诺书 as a printable block: every field of
// the seed's form under its Chinese label (姓名 性别 出生年月 入党时间 联系电话
// 所在党支部（网格） 联系的群众 服务承诺 签名日期); a field the register does not
// know yet is shown as such, never left out.
std::string CommitmentFormText(const mv1::CommitmentForm& form);

// The report of a roster import: what happened, the counts, and a table of
// the problems (row, column, field, problem).
std::string ImportReportText(const mv1::ImportReport& report, const std::string& file_name,
                             const std::string& request_id);

}  // namespace gridserve::gridctl
