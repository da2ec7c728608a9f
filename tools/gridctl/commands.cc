#include "tools/gridctl/commands.h"

#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"

namespace gridserve::gridctl {

void CommandSet::Add(CommandSpec spec, CommandHandler handler) {
  handlers_[spec.path] = std::move(handler);
  specs_.push_back(std::move(spec));
}

CommandSet AllCommands() {
  CommandSet commands;
  AddSessionCommands(commands);
  AddUserCommands(commands);
  AddAuditCommands(commands);
  AddMemberCommands(commands);
  AddPledgeCommands(commands);
  AddMemberReportCommands(commands);
  return commands;
}

std::string MemberIdArgument(const std::string& argument) {
  return std::string(absl::StripPrefix(argument, "members/"));
}

std::string CommitmentIdArgument(const std::string& argument) {
  return std::string(absl::StripPrefix(argument, "commitments/"));
}

absl::Status RequireFlags(const CommandLine& line, std::initializer_list<const char*> names) {
  std::vector<std::string> missing;
  for (const char* name : names) {
    if (!line.Has(name) || line.Flag(name)->empty()) missing.push_back(absl::StrCat("--", name));
  }
  if (missing.empty()) return absl::OkStatus();
  return UsageError(absl::StrCat("`gridctl ", line.command->path, "` needs ", absl::StrJoin(missing, " and "),
                                 ": see `gridctl ", line.command->path, " --help`"));
}

std::string NewRequestId() {
  std::random_device random;
  return absl::StrCat("gridctl-", absl::Hex(random(), absl::kZeroPad8), absl::Hex(random(), absl::kZeroPad8),
                      absl::Hex(random(), absl::kZeroPad8), absl::Hex(random(), absl::kZeroPad8));
}

absl::StatusOr<PageFlags> PageFlagsOf(const CommandLine& line, int max_page_size) {
  absl::StatusOr<int> page_size = IntFlag(line, "page-size", 0, 1, max_page_size);
  if (!page_size.ok()) return page_size.status();
  return PageFlags{.page_size = *page_size, .page_token = line.Flag("page-token").value_or(""), .all = line.Has("all")};
}

std::vector<FlagSpec> PageFlagSpecs(const std::string& noun, int max_page_size) {
  return {{"page-size", "N", absl::StrCat(noun, " per page (1-", max_page_size, "; default: the server's)")},
          {"page-token", "TOKEN", "continue from a previous page"},
          {"all", "", "follow next_page_token and print every page"}};
}

std::string MorePagesHint(const std::string& noun, const std::string& next_page_token) {
  if (next_page_token.empty()) return "";
  return absl::StrCat("More ", noun, ": repeat with --page-token=", next_page_token, ", or use --all.\n");
}

}  // namespace gridserve::gridctl
