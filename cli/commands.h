#pragma once

#include <string>
#include <vector>

namespace kiln::cli {

// Each returns the process exit status. args excludes the command name.
int run_command(const std::vector<std::string>& args);

} // namespace kiln::cli
