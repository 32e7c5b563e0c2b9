#pragma once

// The Linux x86-64 system-call ABI: one table keyed by Linux number, one file per family
// (sys_*.cpp). A handler copies its arguments in, validates them, calls one method on
// the object that owns the behaviour and returns. Errors travel as Result and become
// -errno only in syscall_dispatch.

#include <stddef.h>
#include <stdint.h>

#include "arch/x86_64/interrupt_frame.h"
#include "lib/result.h"
#include "linux/user_memory.h"

namespace kiln {

struct SyscallArgs {
    uint64_t a0, a1, a2, a3, a4, a5;
    x86::InterruptFrame& frame;  // for the few calls that need the user's registers

    UserAddress user(uint64_t a) const { return UserAddress { a }; }
};

using SyscallHandler = Result<int64_t> (*)(const SyscallArgs&);

struct SyscallEntry {
    uint16_t number;
    SyscallHandler handler;
};

struct SyscallFamily {
    const SyscallEntry* entries;
    size_t count;
};

// Each family file defines one of these.
SyscallFamily aio_syscalls();
SyscallFamily event_syscalls();
SyscallFamily file_syscalls();
SyscallFamily path_syscalls();
SyscallFamily futex_syscalls();
SyscallFamily memory_syscalls();
SyscallFamily process_syscalls();
SyscallFamily time_syscalls();
SyscallFamily random_syscalls();
SyscallFamily signal_syscalls();
SyscallFamily socket_syscalls();

// Builds the table from the families. Boot, once. `trace` prints every call and its
// result (kernel command line `kiln.strace`).
void syscalls_init(bool trace);

const char* syscall_name(uint64_t number);

}  // namespace kiln
