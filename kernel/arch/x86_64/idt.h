#pragma once

#include <stdint.h>

#include "arch/x86_64/interrupt_frame.h"

namespace kiln::x86 {

// Installs the IDT: every vector goes through interrupt_entry.S to interrupt_dispatch.
// Boot CPU, once, after gdt_init().
void idt_init();

using InterruptHandler = void (*)(InterruptFrame&);

// Routes an interrupt vector (32..255) to a handler. Runs with interrupts off.
void idt_set_handler(uint8_t vector, InterruptHandler handler);

} // namespace kiln::x86
