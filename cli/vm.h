#pragma once

#include <string>
#include <vector>

#include "accel.h"

namespace kiln::cli {

struct VmConfig {
    std::string kernel;
    std::string initrd; // empty: none
    std::string memory = "512M";
    Accel accel = Accel::Tcg;
    std::string kernel_args; // appended to the kernel command line
    bool quiet = true;       // the kernel prints only the app's output, errors and the status
};

// The QEMU command line for a config: microvm, serial console on stdout, and
// isa-debug-exit so the guest's exit status also reaches QEMU's own exit code.
std::vector<std::string> qemu_command(const VmConfig& config);

// The guest's exit status from the last console line, `kiln: exit status N`; -1 when the
// line is missing. QEMU's own exit code is no substitute: isa-debug-exit gives
// (2N+1) & 0xff, which loses N >= 128, and QEMU exits 1 on its own errors too.
int guest_exit_status(const std::string& last_console_line);

// Boots the VM, copies its console to stdout as it arrives, forwards SIGINT/SIGTERM
// to QEMU, and returns the guest's exit status; 125 with a message on stderr when the
// VM could not be started or ended without reporting one.
int run_vm(const VmConfig& config);

} // namespace kiln::cli
