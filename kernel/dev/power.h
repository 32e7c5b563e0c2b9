#pragma once

namespace kiln {

// The exit status of a kernel panic: distinct from any 128+signal a program can die
// with, so a test or a supervisor can tell a kernel bug from an app crash.
inline constexpr int KERNEL_PANIC_STATUS = 250;

// Ends the VM. Prints `kiln: exit status N` as the last console line, then tells the
// host: QEMU's isa-debug-exit device (port 0xf4; QEMU exits with 2N+1), then a
// keyboard-controller reset (Firecracker's shutdown; QEMU exits on it with -no-reboot),
// then a triple fault. status is truncated to 0-255 like a process exit status.
[[noreturn]] void power_off(int status);

} // namespace kiln
