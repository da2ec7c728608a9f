// report missing-pledges | branch-counts (rules R2 and R3 per branch).
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tools/gridctl/commands.h"
#include "tools/gridctl/output.h"

namespace gridserve::gridctl {
namespace {

constexpr int kMaxReportPageSize = 500;

struct ReportFlags {
  std::string org;
  int year = 0;
  PageFlags pages;
};

absl::StatusOr<ReportFlags> ReportFlagsOf(const CommandLine& line) {
  if (absl::Status s = RequireFlags(line, {"org", "year"}); !s.ok()) return s;
  absl::StatusOr<int> year = IntFlag(line, "year", 0, 2000, 2100);
  if (!year.ok()) return year.status();
  absl::StatusOr<PageFlags> pages = PageFlagsOf(line, kMaxReportPageSize);
  if (!pages.ok()) return pages.status();
  return ReportFlags{.org = *line.Flag("org"), .year = *year, .pages = *pages};
}

absl::Status MissingPledges(Invocation& run) {
  absl::StatusOr<ReportFlags> flags = ReportFlagsOf(run.line);
  if (!flags.ok()) return flags.status();
  mv1::ListMembersMissingPledgesRequest request;
  request.set_org_code(flags->org);
  request.set_year(flags->year);
  request.set_page_size(flags->pages.page_size);
  request.set_page_token(flags->pages.page_token);
  mv1::ListMembersMissingPledgesResponse result;
  absl::Status listed = ListPages(
      run.gateway, request, flags->pages.all, result,
      [&](grpc::ClientContext* context, const mv1::ListMembersMissingPledgesRequest& page_request,
          mv1::ListMembersMissingPledgesResponse* page) {
        return run.gateway.member_reports().ListMembersMissingPledges(context, page_request, page);
      },
      [](mv1::ListMembersMissingPledgesResponse& into, const mv1::ListMembersMissingPledgesResponse& page) {
        into.mutable_members()->MergeFrom(page.members());
      });
  if (!listed.ok()) return listed;
  if (run.line.global.json) {
    run.out << ToJson(result);
    return absl::OkStatus();
  }
  Table table({"MEMBER ID", "NAME", "BRANCH", "BRANCH NAME", "MISSING"});
  for (const mv1::MemberMissingPledges& member : result.members()) {
    std::vector<std::string> missing;
    if (member.missing_duties()) missing.push_back("duties");
    if (member.missing_commitments()) missing.push_back("commitments");
    table.AddRow({member.member_id(), member.full_name(), member.branch_code(),
                  member.branch_name().empty() ? "-" : member.branch_name(), absl::StrJoin(missing, ", ")});
  }
  run.out << (table.empty() ? absl::StrCat("Every active member has duties and a commitment for ", flags->year, ".\n")
                            : table.Render())
          << MorePagesHint("members", result.next_page_token());
  return absl::OkStatus();
}

absl::Status BranchCounts(Invocation& run) {
  absl::StatusOr<ReportFlags> flags = ReportFlagsOf(run.line);
  if (!flags.ok()) return flags.status();
  mv1::CountMembersByBranchRequest request;
  request.set_org_code(flags->org);
  request.set_year(flags->year);
  request.set_page_size(flags->pages.page_size);
  request.set_page_token(flags->pages.page_token);
  mv1::CountMembersByBranchResponse result;
  absl::Status listed = ListPages(
      run.gateway, request, flags->pages.all, result,
      [&](grpc::ClientContext* context, const mv1::CountMembersByBranchRequest& page_request,
          mv1::CountMembersByBranchResponse* page) {
        return run.gateway.member_reports().CountMembersByBranch(context, page_request, page);
      },
      [](mv1::CountMembersByBranchResponse& into, const mv1::CountMembersByBranchResponse& page) {
        into.mutable_branches()->MergeFrom(page.branches());
      });
  if (!listed.ok()) return listed;
  if (run.line.global.json) {
    run.out << ToJson(result);
    return absl::OkStatus();
  }
  Table table({"BRANCH", "NAME", "ACTIVE", "ENDED", "WITH DUTIES", "WITH COMMITMENTS", "MISSING PLEDGES"});
  for (const mv1::BranchMemberCounts& branch : result.branches()) {
    table.AddRow({branch.branch_code(), branch.branch_name().empty() ? "-" : branch.branch_name(),
                  absl::StrCat(branch.active_members()), absl::StrCat(branch.ended_members()),
                  absl::StrCat(branch.with_duties()), absl::StrCat(branch.with_commitments()),
                  absl::StrCat(branch.missing_pledges())});
  }
  run.out << (table.empty() ? "No branches with members.\n" : table.Render())
          << MorePagesHint("branches", result.next_page_token());
  return absl::OkStatus();
}

std::vector<FlagSpec> ReportFlagSpecs(const std::string& noun) {
  std::vector<FlagSpec> flags = {{"org", "CODE", "organisation whose subtree to report on (required)"},
                                 {"year", "N", "the year, e.g. 2026 (required)"}};
  for (FlagSpec& flag : PageFlagSpecs(noun, kMaxReportPageSize)) flags.push_back(std::move(flag));
  return flags;
}

}  // namespace

void AddMemberReportCommands(CommandSet& commands) {
  commands.Add({.path = "report missing-pledges",
                .flags = ReportFlagSpecs("members"),
                .summary = "Active members without duties or without a commitment for a year (R2, R3)."},
               MissingPledges);
  commands.Add({.path = "report branch-counts",
                .flags = ReportFlagSpecs("branches"),
                .summary = "Per branch: active and ended members, and how many have duties and commitments."},
               BranchCounts);
}

}  // namespace gridserve::gridctl
