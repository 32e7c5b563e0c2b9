#pragma once

// What the console shows when the process dies of a fault or the machine runs out of
// memory: the signal, where it happened (with the mapping the address falls in), the
// registers; then the VM ends with 128+signal, as a shell would report it.

#include <stdint.h>

#include "arch/x86_64/interrupt_frame.h"

namespace kiln {

[[noreturn]] void report_user_fault(const x86::InterruptFrame& frame, int signal, uint64_t fault_address);

// Ends the process as Linux's OOM killer would (SIGKILL, status 137).
[[noreturn]] void report_out_of_memory(uint64_t fault_address);

}  // namespace kiln
