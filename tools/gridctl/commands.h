#pragma once

#include <functional>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "tools/gridctl/command_line.h"
#include "tools/gridctl/credentials.h"
#include "tools/gridctl/error_format.h"
#include "tools/gridctl/gateway.h"
#include "tools/gridctl/password_input.h"

namespace gridserve::gridctl {

// Everything a command needs to run once.
struct Invocation {
  const CommandLine& line;
  Gateway& gateway;
  const CredentialsStore& store;
  PasswordInput& passwords;
  std::ostream& out;
  // Progress and notes that are not the command's result.
  std::ostream& err;
  bool err_is_terminal = false;
};

using CommandHandler = std::function<absl::Status(Invocation&)>;

// The commands gridctl knows: their shapes (for parsing and help) and handlers.
class CommandSet {
 public:
  void Add(CommandSpec spec, CommandHandler handler);
  const std::vector<CommandSpec>& specs() const { return specs_; }
  const CommandHandler& HandlerOf(const CommandSpec& spec) const { return handlers_.at(spec.path); }

 private:
  std::vector<CommandSpec> specs_;
  std::map<std::string, CommandHandler> handlers_;
};

// The command groups, each in its own file.
void AddSessionCommands(CommandSet& commands);  // login, whoami, logout
void AddUserCommands(CommandSet& commands);     // user ...
void AddAuditCommands(CommandSet& commands);    // audit ...
void AddMemberCommands(CommandSet& commands);   // member ... (incl. member import)
void AddPledgeCommands(CommandSet& commands);   // duty ..., commitment ...
void AddMemberReportCommands(CommandSet& commands);  // report ...
// All of them, in help order.
CommandSet AllCommands();

// Shared by the command groups.
// Runs prepare + call and turns the gRPC status into an absl::Status.
template <typename Call>
absl::Status Invoke(Gateway& gateway, bool authenticated, Call&& call) {
  grpc::ClientContext context;
  if (absl::Status s = gateway.Prepare(context, authenticated); !s.ok()) return s;
  return FromGrpcStatus(call(&context));
}

// Lists one page into `result`, or with `all` every page from request's
// page_token on, merged by `merge(result, page)`. `list(context, request, page)`
// makes one call. A next_page_token equal to the one sent would loop forever,
// so paging stops there rather than trusting it.
template <typename Request, typename Response, typename List, typename Merge>
absl::Status ListPages(Gateway& gateway, Request request, bool all, Response& result, List&& list, Merge&& merge) {
  while (true) {
    Response page;
    absl::Status status =
        Invoke(gateway, true, [&](grpc::ClientContext* context) { return list(context, request, &page); });
    if (!status.ok()) return status;
    merge(result, page);
    result.set_next_page_token(page.next_page_token());
    if (!all || page.next_page_token().empty() || page.next_page_token() == request.page_token()) break;
    request.set_page_token(page.next_page_token());
  }
  if (all) result.clear_next_page_token();
  return absl::OkStatus();
}

// Accepts "users/<id>" (as whoami prints it) or a bare id.
std::string UserIdArgument(const std::string& argument);
// Accepts "members/<id>" or a bare id; likewise "commitments/<id>".
std::string MemberIdArgument(const std::string& argument);
std::string CommitmentIdArgument(const std::string& argument);

// A usage error naming the flags among `names` that are missing or empty.
absl::Status RequireFlags(const CommandLine& line, std::initializer_list<const char*> names);

// A fresh idempotency key for a create ("gridctl-" and 32 hex digits).
std::string NewRequestId();

// --page-size (1..max), --page-token and --all as every list command takes them.
struct PageFlags {
  int page_size = 0;
  std::string page_token;
  bool all = false;
};
absl::StatusOr<PageFlags> PageFlagsOf(const CommandLine& line, int max_page_size);
// The FlagSpecs of PageFlags, `noun` naming what is listed ("members").
std::vector<FlagSpec> PageFlagSpecs(const std::string& noun, int max_page_size);
// "More members: repeat with --page-token=..., or use --all.\n" or "".
std::string MorePagesHint(const std::string& noun, const std::string& next_page_token);

}  // namespace gridserve::gridctl
