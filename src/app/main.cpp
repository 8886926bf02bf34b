// aimcsim: the command-line front end. Thin by design: every command (Cmd*.cpp) is a call into the aimc
// library.
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <new>
#include <string>

#include "CommandRegistry.h"
#include "aimc/base/Error.h"

namespace aimcsim {
std::vector<CommandSpec>& command_registry() {
  static std::vector<CommandSpec> registry;
  return registry;
}
}  // namespace aimcsim

namespace {
// Standard output redirected to a full disk (`aimcsim area --json > f`): the lost bytes are an error, exit 2.
int checked_stdout(int status) {
  errno = 0;
  std::cout.flush();
  const bool failed = std::fflush(stdout) != 0 || std::ferror(stdout) || !std::cout;
  if (!failed) return status;
  std::cerr << "aimcsim: error: writing the standard output failed"
            << (errno != 0 ? std::string(": ") + std::strerror(errno) : std::string()) << '\n';
  return 2;
}
}  // namespace

// Only user errors, command-line errors and running out of memory are caught: any other exception is a bug
// and, like a failed AIMC_ASSERT, aborts (std::terminate prints its type and message).
int main(int argc, char** argv) {  // NOLINT(bugprone-exception-escape): see above
  CLI::App app{"aimcsim: cycle-level simulator of multi-core PCM analog in-memory-computing chips"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("aimcsim ") + AIMCSIM_VERSION);

  auto specs = aimcsim::command_registry();
  std::sort(specs.begin(), specs.end(), [](const auto& a, const auto& b) { return a.order < b.order; });
  std::vector<std::pair<CLI::App*, aimcsim::CommandAction>> commands;
  for (const auto& spec : specs) {
    CLI::App* sub = nullptr;
    aimcsim::CommandAction action = spec.setup(app, sub);
    commands.emplace_back(sub, std::move(action));
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    // Bad command lines are bad input like any other: the same prefix and exit status as a UserError.
    std::cerr << "aimcsim: error: " << e.what() << "\nRun with --help for more information.\n";
    return 2;
  }
  int status = 0;
  try {
    for (auto& [sub, action] : commands)
      if (sub->parsed()) {
        status = action();
        break;
      }
  } catch (const aimc::UserError& e) {
    std::cerr << "aimcsim: error: " << e.what() << '\n';
    return 2;
  } catch (const std::bad_alloc&) {
    // Sizes read from input are checked before allocating (batch memory, ELF segments, NPY shapes, ONNX
    // constants); this is the last resort when the machine has less memory than those limits allow.
    std::cerr << "aimcsim: error: out of memory: the input (model, batch, inputs or program) needs more "
                 "memory than this machine can give; try a smaller --batch or input\n";
    return 2;
  }
  return checked_stdout(status);
}
