#pragma once

#include <string>

namespace kiln::cli {

// Where the kernel is: $KILN_KERNEL, else next to this executable in the build tree
// (build/cli/kiln → build/kernel/kiln-kernel). Empty if not found.
std::string find_kernel();

} // namespace kiln::cli
