#pragma once

#include <string>

namespace kiln::cli {

// Where the kernel is: $KILN_KERNEL, else next to this executable in the build tree
// (build/cli/kiln → build/kernel/kiln-kernel). Empty if not found.
std::string find_kernel();

// Where the runtime shipped in images is: $KILN_RUNTIME, else next to this executable in
// the build tree (build/cli/kiln → build/runtime/kiln-runtime). Empty if not found.
std::string find_runtime();

// The library `kiln run` preloads into QEMU to lift slirp's listen backlog:
// $KILN_QEMU_PRELOAD, else next to this executable (build/cli/libkiln-qemu-listen.so).
// Empty if not found.
std::string find_qemu_preload();

} // namespace kiln::cli
