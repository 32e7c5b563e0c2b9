#pragma once

#include "arch/x86_64/interrupt_frame.h"

namespace kiln::x86 {

// CPU exceptions (vectors 0-31). Every exception is fatal for now: it prints a report
// (what, where, registers) and powers off with status 128 + the signal Linux would have
// delivered, as a shell reports a process killed by that signal.
void handle_exception(InterruptFrame& frame);

// Name and Linux signal for an exception vector (e.g. 14 → "#PF page fault", SIGSEGV).
const char* exception_name(unsigned vector);
int exception_signal(unsigned vector);

} // namespace kiln::x86
