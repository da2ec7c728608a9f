// duty areas | set-areas | set | get | list; commitment add | get | list |
// update | delete | form (亮职责, 亮承诺: rules R2 and R3).
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/division.h"
#include "tools/gridctl/commands.h"
#include "tools/gridctl/membership_format.h"
#include "tools/gridctl/output.h"

namespace gridserve::gridctl {
namespace {

constexpr int kMaxPledgePageSize = 500;

absl::StatusOr<int> YearFlag(const CommandLine& line) {
  if (absl::Status s = RequireFlags(line, {"year"}); !s.ok()) return s;
  return IntFlag(line, "year", 0, 2000, 2100);
}

// Names of the duty areas of `town`, so duties read as words, not codes.
// Best effort: without them the codes alone are still the full answer.
std::map<std::string, std::string> AreaNames(Invocation& run, const std::string& town) {
  std::map<std::string, std::string> names;
  if (town.empty()) return names;
  mv1::ListDutyAreasRequest request;
  request.set_town_code(town);
  mv1::ListDutyAreasResponse response;
  absl::Status status = Invoke(run.gateway, true, [&](grpc::ClientContext* context) {
    return run.gateway.duties().ListDutyAreas(context, request, &response);
  });
  if (!status.ok()) return names;
  for (const mv1::DutyArea& area : response.areas()) names[area.code()] = area.display_name();
  return names;
}

void PrintAreas(Invocation& run, const google::protobuf::RepeatedPtrField<mv1::DutyArea>& areas) {
  Table table({"CODE", "NAME", "STANDARD", "RETIRED"});
  for (const mv1::DutyArea& area : areas) {
    table.AddRow({area.code(), area.display_name(), area.standard() ? "yes" : "no", area.retired() ? "yes" : "no"});
  }
  run.out << (table.empty() ? "No duty areas.\n" : table.Render());
}

absl::Status Areas(Invocation& run) {
  if (absl::Status s = RequireFlags(run.line, {"town"}); !s.ok()) return s;
  mv1::ListDutyAreasRequest request;
  request.set_town_code(*run.line.Flag("town"));
  mv1::ListDutyAreasResponse response;
  absl::Status status = Invoke(run.gateway, true, [&](grpc::ClientContext* context) {
    return run.gateway.duties().ListDutyAreas(context, request, &response);
  });
  if (!status.ok()) return status;
  if (run.line.global.json) {
    run.out << ToJson(response);
    return absl::OkStatus();
  }
  PrintAreas(run, response.areas());
  if (!response.configured()) run.out << "The town uses the programme's standard list.\n";
  return absl::OkStatus();
}

absl::Status SetAreas(Invocation& run) {
  if (absl::Status s = RequireFlags(run.line, {"town", "area"}); !s.ok()) return s;
  mv1::UpdateDutyAreasRequest request;
  request.set_town_code(*run.line.Flag("town"));
  for (const std::string& text : run.line.Values("area")) {
    absl::StatusOr<mv1::DutyArea> area = ParseDutyAreaFlag(text);
    if (!area.ok()) return area.status();
    *request.add_areas() = *area;
  }
  for (const std::string& code : run.line.Values("retire")) {
    auto it = std::find_if(request.mutable_areas()->begin(), request.mutable_areas()->end(),
                           [&](const mv1::DutyArea& area) { return area.code() == code; });
    if (it == request.mutable_areas()->end()) {
      return UsageError(absl::StrCat("--retire=", code, " names no --area: list the retired area too, e.g. --area=",
                                     code, ":名称 --retire=", code));
    }
    it->set_retired(true);
  }
  mv1::UpdateDutyAreasResponse response;
  absl::Status status = Invoke(run.gateway, true, [&](grpc::ClientContext* context) {
    return run.gateway.duties().UpdateDutyAreas(context, request, &response);
  });
  if (!status.ok()) return status;
  if (run.line.global.json) {
    run.out << ToJson(response);
  } else {
    PrintAreas(run, response.areas());
  }
  return absl::OkStatus();
}

absl::Status PrintDuties(Invocation& run, const mv1::MemberDuties& duties) {
  if (run.line.global.json) {
    run.out << ToJson(duties);
  } else {
    run.out << DutiesText(duties, AreaNames(run, TownOf(duties.branch_code())));
  }
  return absl::OkStatus();
}

absl::Status SetDuties(Invocation& run) {
  absl::StatusOr<int> year = YearFlag(run.line);
  if (!year.ok()) return year.status();
  mv1::SetMemberDutiesRequest request;
  mv1::MemberDuties& duties = *request.mutable_duties();
  duties.set_member_id(MemberIdArgument(run.line.arguments[0]));
  duties.set_year(*year);
  for (const std::string& code : run.line.Values("area")) duties.add_area_codes(code);
  duties.set_free_text(run.line.Flag("text").value_or(""));
  if (duties.area_codes().empty() && duties.free_text().empty()) {
    return UsageError("give the duties: --area=CODE (repeat for more; see `gridctl duty areas`) and/or --text=...");
  }
  mv1::SetMemberDutiesResponse response;
  absl::Status status = Invoke(run.gateway, true, [&](grpc::ClientContext* context) {
    return run.gateway.duties().SetMemberDuties(context, request, &response);
  });
  if (!status.ok()) return status;
  return PrintDuties(run, response.duties());
}

absl::Status GetDuties(Invocation& run) {
  absl::StatusOr<int> year = YearFlag(run.line);
  if (!year.ok()) return year.status();
  mv1::GetMemberDutiesRequest request;
  request.set_member_id(MemberIdArgument(run.line.arguments[0]));
  request.set_year(*year);
  mv1::GetMemberDutiesResponse response;
  absl::Status status = Invoke(run.gateway, true, [&](grpc::ClientContext* context) {
    return run.gateway.duties().GetMemberDuties(context, request, &response);
  });
  if (!status.ok()) return status;
  return PrintDuties(run, response.duties());
}

absl::Status ListDuties(Invocation& run) {
  if (absl::Status s = RequireFlags(run.line, {"org"}); !s.ok()) return s;
  absl::StatusOr<int> year = YearFlag(run.line);
  if (!year.ok()) return year.status();
  absl::StatusOr<PageFlags> pages = PageFlagsOf(run.line, kMaxPledgePageSize);
  if (!pages.ok()) return pages.status();
  mv1::ListMemberDutiesRequest request;
  request.set_org_code(*run.line.Flag("org"));
  request.set_year(*year);
  request.set_page_size(pages->page_size);
  request.set_page_token(pages->page_token);
  mv1::ListMemberDutiesResponse result;
  absl::Status listed = ListPages(
      run.gateway, request, pages->all, result,
      [&](grpc::ClientContext* context, const mv1::ListMemberDutiesRequest& page_request,
          mv1::ListMemberDutiesResponse* page) {
        return run.gateway.duties().ListMemberDuties(context, page_request, page);
      },
      [](mv1::ListMemberDutiesResponse& into, const mv1::ListMemberDutiesResponse& page) {
        into.mutable_duties()->MergeFrom(page.duties());
      });
  if (!listed.ok()) return listed;
  if (run.line.global.json) {
    run.out << ToJson(result);
    return absl::OkStatus();
  }
  Table table({"MEMBER ID", "NAME", "BRANCH", "AREAS", "DUTIES IN OWN WORDS"});
  for (const mv1::MemberDuties& duties : result.duties()) {
    table.AddRow({duties.member_id(), duties.member_full_name(), duties.branch_code(), AreaList(duties.area_codes(), {}),
                  duties.free_text().empty() ? "-" : duties.free_text()});
  }
  run.out << (table.empty() ? "No duties recorded for that year.\n" : table.Render())
          << MorePagesHint("duties", result.next_page_token());
  return absl::OkStatus();
}

absl::Status PrintCommitment(Invocation& run, const mv1::Commitment& commitment) {
  run.out << (run.line.global.json ? ToJson(commitment) : CommitmentText(commitment));
  return absl::OkStatus();
}

absl::Status AddCommitment(Invocation& run) {
  if (absl::Status s = RequireFlags(run.line, {"target", "measures"}); !s.ok()) return s;
  absl::StatusOr<int> year = YearFlag(run.line);
  if (!year.ok()) return year.status();
  mv1::CreateCommitmentRequest request;
  mv1::Commitment& commitment = *request.mutable_commitment();
  commitment.set_member_id(MemberIdArgument(run.line.arguments[0]));
  commitment.set_year(*year);
  commitment.set_target(*run.line.Flag("target"));
  commitment.set_measures(*run.line.Flag("measures"));
  commitment.set_due_date(run.line.Flag("due").value_or(""));
  commitment.set_signed_date(run.line.Flag("signed").value_or(""));
  request.set_request_id(run.line.Flag("request-id").value_or(NewRequestId()));
  mv1::CreateCommitmentResponse response;
  absl::Status status = Invoke(run.gateway, true, [&](grpc::ClientContext* context) {
    return run.gateway.commitments().CreateCommitment(context, request, &response);
  });
  if (!status.ok()) return status;
  if (run.line.global.json) {
    run.out << ToJson(response.commitment());
  } else {
    run.out << CommitmentText(response.commitment())
            << KeyValues({{"request id", request.request_id() + " (repeating the add with it changes nothing)"}});
  }
  return absl::OkStatus();
}

absl::Status GetCommitment(Invocation& run) {
  mv1::GetCommitmentRequest request;
  request.set_commitment_id(CommitmentIdArgument(run.line.arguments[0]));
  mv1::GetCommitmentResponse response;
  absl::Status status = Invoke(run.gateway, true, [&](grpc::ClientContext* context) {
    return run.gateway.commitments().GetCommitment(context, request, &response);
  });
  if (!status.ok()) return status;
  return PrintCommitment(run, response.commitment());
}

absl::Status ListCommitments(Invocation& run) {
  if (run.line.Has("member") == run.line.Has("org")) {
    return UsageError("give exactly one of --member=ID (one member's commitments) and --org=CODE (everyone's below it)");
  }
  absl::StatusOr<int> year = YearFlag(run.line);
  if (!year.ok()) return year.status();
  absl::StatusOr<PageFlags> pages = PageFlagsOf(run.line, kMaxPledgePageSize);
  if (!pages.ok()) return pages.status();
  mv1::ListCommitmentsRequest request;
  request.set_member_id(MemberIdArgument(run.line.Flag("member").value_or("")));
  request.set_org_code(run.line.Flag("org").value_or(""));
  request.set_year(*year);
  request.set_page_size(pages->page_size);
  request.set_page_token(pages->page_token);
  mv1::ListCommitmentsResponse result;
  absl::Status listed = ListPages(
      run.gateway, request, pages->all, result,
      [&](grpc::ClientContext* context, const mv1::ListCommitmentsRequest& page_request,
          mv1::ListCommitmentsResponse* page) {
        return run.gateway.commitments().ListCommitments(context, page_request, page);
      },
      [](mv1::ListCommitmentsResponse& into, const mv1::ListCommitmentsResponse& page) {
        into.mutable_commitments()->MergeFrom(page.commitments());
      });
  if (!listed.ok()) return listed;
  if (run.line.global.json) {
    run.out << ToJson(result);
    return absl::OkStatus();
  }
  Table table({"COMMITMENT ID", "MEMBER ID", "YEAR", "STATUS", "DUE", "SIGNED", "EVIDENCE", "TARGET"});
  for (const mv1::Commitment& commitment : result.commitments()) {
    table.AddRow({commitment.commitment_id(), commitment.member_id(), absl::StrCat(commitment.year()),
                  FulfilmentStatusText(commitment.status()),
                  commitment.due_date().empty() ? "-" : commitment.due_date(),
                  commitment.signed_date().empty() ? "-" : commitment.signed_date(),
                  absl::StrCat(commitment.evidence_size()), commitment.target()});
  }
  run.out << (table.empty() ? "No commitments for that year.\n" : table.Render())
          << MorePagesHint("commitments", result.next_page_token());
  return absl::OkStatus();
}

absl::Status UpdateCommitment(Invocation& run) {
  absl::StatusOr<mv1::UpdateCommitmentRequest> request = CommitmentUpdateFromFlags(run.line);
  if (!request.ok()) return request.status();
  mv1::UpdateCommitmentResponse response;
  absl::Status status = Invoke(run.gateway, true, [&](grpc::ClientContext* context) {
    return run.gateway.commitments().UpdateCommitment(context, *request, &response);
  });
  if (!status.ok()) return status;
  return PrintCommitment(run, response.commitment());
}

absl::Status DeleteCommitment(Invocation& run) {
  mv1::DeleteCommitmentRequest request;
  request.set_commitment_id(CommitmentIdArgument(run.line.arguments[0]));
  mv1::DeleteCommitmentResponse response;
  absl::Status status = Invoke(run.gateway, true, [&](grpc::ClientContext* context) {
    return run.gateway.commitments().DeleteCommitment(context, request, &response);
  });
  if (!status.ok()) return status;
  if (run.line.global.json) {
    run.out << ToJson(response);
  } else {
    run.out << "Commitment commitments/" << request.commitment_id() << " withdrawn.\n";
  }
  return absl::OkStatus();
}

absl::Status Form(Invocation& run) {
  absl::StatusOr<int> year = YearFlag(run.line);
  if (!year.ok()) return year.status();
  mv1::GetCommitmentFormRequest request;
  request.set_member_id(MemberIdArgument(run.line.arguments[0]));
  request.set_year(*year);
  mv1::GetCommitmentFormResponse response;
  absl::Status status = Invoke(run.gateway, true, [&](grpc::ClientContext* context) {
    return run.gateway.commitments().GetCommitmentForm(context, request, &response);
  });
  if (!status.ok()) return status;
  run.out << (run.line.global.json ? ToJson(response.form()) : CommitmentFormText(response.form()));
  return absl::OkStatus();
}

const FlagSpec kYear{"year", "N", "the year, e.g. 2026 (required)"};

std::vector<FlagSpec> WithPages(std::vector<FlagSpec> flags, const std::string& noun) {
  for (FlagSpec& flag : PageFlagSpecs(noun, kMaxPledgePageSize)) flags.push_back(std::move(flag));
  return flags;
}

}  // namespace

void AddPledgeCommands(CommandSet& commands) {
  commands.Add({.path = "duty areas",
                .flags = {{"town", "CODE", "12-digit town code (required)"}},
                .summary = "List the duty areas a town offers (亮职责)."},
               Areas);
  commands.Add({.path = "duty set-areas",
                .flags = {{"town", "CODE", "12-digit town code (required)"},
                          {"area", "CODE:名称", "one area of the complete new list (required)", /*repeatable=*/true},
                          {"retire", "CODE", "mark this listed area as no longer offered", /*repeatable=*/true}},
                .summary = "Replace a town's list of duty areas (areas members chose cannot be removed: retire them)."},
               SetAreas);
  commands.Add({.path = "duty set",
                .arguments = "MEMBER_ID",
                .min_arguments = 1,
                .max_arguments = 1,
                .flags = {kYear,
                          {"area", "CODE", "a duty area of the member's town", /*repeatable=*/true},
                          {"text", "TEXT", "the duties in the member's own words"}},
                .summary = "Set a member's duties for a year (replaces what was there)."},
               SetDuties);
  commands.Add({.path = "duty get",
                .arguments = "MEMBER_ID",
                .min_arguments = 1,
                .max_arguments = 1,
                .flags = {kYear},
                .summary = "Show a member's duties for a year."},
               GetDuties);
  commands.Add({.path = "duty list",
                .flags = WithPages({{"org", "CODE", "members of this organisation and below (required)"}, kYear},
                                   "duties"),
                .summary = "List the duties of every member under an organisation for a year."},
               ListDuties);
  commands.Add({.path = "commitment add",
                .arguments = "MEMBER_ID",
                .min_arguments = 1,
                .max_arguments = 1,
                .flags = {kYear,
                          {"target", "TEXT", "目标任务 (required)"},
                          {"measures", "TEXT", "服务举措 (required)"},
                          {"due", "YYYY-MM-DD", "完成时限"},
                          {"signed", "YYYY-MM-DD", "签名 date"},
                          {"request-id", "ID",
                           "idempotency key: repeating the add with it changes nothing (default: a new random id)"}},
                .summary = "Add a commitment (亮承诺; rule R3: 1-2 per member and year, a third is refused)."},
               AddCommitment);
  commands.Add({.path = "commitment get",
                .arguments = "COMMITMENT_ID",
                .min_arguments = 1,
                .max_arguments = 1,
                .summary = "Show one commitment."},
               GetCommitment);
  commands.Add({.path = "commitment list",
                .flags = WithPages({{"member", "MEMBER_ID", "one member's commitments"},
                                    {"org", "CODE", "commitments of every member under this organisation"},
                                    kYear},
                                   "commitments"),
                .summary = "List commitments of one member (--member) or under an organisation (--org) for a year."},
               ListCommitments);
  commands.Add({.path = "commitment update",
                .arguments = "COMMITMENT_ID",
                .min_arguments = 1,
                .max_arguments = 1,
                .flags = {{"status", "STATUS", "pledged, in-progress, fulfilled or not-fulfilled (践诺)"},
                          {"evidence", "activities/ID",
                           "an activity record proving fulfilment; replaces the list (--evidence= clears it)",
                           /*repeatable=*/true},
                          {"target", "TEXT", "目标任务"},
                          {"measures", "TEXT", "服务举措"},
                          {"due", "YYYY-MM-DD", "完成时限 (empty to clear)"},
                          {"signed", "YYYY-MM-DD", "签名 date"}},
                .summary = "Change the fields given as flags (a member may change status and evidence)."},
               UpdateCommitment);
  commands.Add({.path = "commitment delete",
                .arguments = "COMMITMENT_ID",
                .min_arguments = 1,
                .max_arguments = 1,
                .summary = "Withdraw a commitment entered by mistake (only while pledged)."},
               DeleteCommitment);
  commands.Add({.path = "commitment form",
                .arguments = "MEMBER_ID",
                .min_arguments = 1,
                .max_arguments = 1,
                .flags = {kYear},
                .summary = "Print the member's 党员承诺践诺书 (attachment 1) for a year."},
               Form);
}

}  // namespace gridserve::gridctl
