#include "tools/gridctl/commands.h"

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
  return commands;
}

}  // namespace gridserve::gridctl
