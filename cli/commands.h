#pragma once

#include <string>
#include <vector>

namespace kiln::cli {

// Each returns the process exit status. args excludes the command name.
int new_command(const std::vector<std::string>& args);
int dev_command(const std::vector<std::string>& args);
int build_command(const std::vector<std::string>& args);
int run_command(const std::vector<std::string>& args);
int inspect_command(const std::vector<std::string>& args);

// Exit statuses shared by the commands (a guest's own status passes through `run`).
inline constexpr int STATUS_FAILED = 1; // the command could not do its job (a build error, ...)
inline constexpr int STATUS_USAGE = 2; // bad flags or arguments

} // namespace kiln::cli
