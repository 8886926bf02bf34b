#pragma once
// Subcommands of the aimcsim CLI register themselves (one file each: Cmd<Name>.cpp), so that adding a command
// touches no other file. A command's setup adds its CLI11 subcommand and options and returns the action to
// run once the command line is parsed; the action returns the exit status. aimc::UserError thrown by an
// action is reported by main() with exit status 2.
#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace aimcsim {

using CommandAction = std::function<int()>;
using CommandSetup = std::function<CommandAction(CLI::App& app, CLI::App*& sub)>;

struct CommandSpec {
  int order;  // position in --help
  CommandSetup setup;
};

std::vector<CommandSpec>& command_registry();

struct RegisterCommand {
  RegisterCommand(int order, CommandSetup setup) { command_registry().push_back({order, std::move(setup)}); }
};

}  // namespace aimcsim
