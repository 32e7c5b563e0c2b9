#pragma once

// The local APIC (interrupt delivery, end of interrupt, the timer) and the IOAPIC
// (device interrupt lines → vectors). Intel SDM vol. 3 ch. 11; 82093AA IOAPIC datasheet.
//
// Execution context: the kernel runs with interrupts off except in user mode and while
// it waits for one (time/wait.cpp), so handlers never interrupt kernel code half way and
// need no locks.

#include <stdint.h>

#include "lib/result.h"

namespace kiln::x86 {

inline constexpr uint8_t TIMER_VECTOR = 0x20;
inline constexpr uint8_t DEVICE_VECTOR_BASE = 0x30;  // IOAPIC pin n → vector 0x30 + n
// Message-signalled interrupts (MSI-X) take vectors from this range, above the IOAPIC's
// 32 pins and below the spurious vector.
inline constexpr uint8_t MSI_VECTOR_FIRST = 0x50;
inline constexpr uint8_t MSI_VECTOR_LAST = 0xef;
inline constexpr uint8_t SPURIOUS_VECTOR = 0xff;

// Maps and enables the local APIC and the IOAPIC (all pins masked). Boot CPU, once,
// after memory_init (MMIO mappings) and clock_init (timer calibration). x2APIC and the
// TSC-deadline timer are used when CPUID offers them, unless `force_xapic` (kernel
// command line `kiln.xapic`) asks for the xAPIC with a calibrated one-shot timer.
Result<void> apic_init(bool force_xapic);

void lapic_end_of_interrupt();

// Arms the one-shot timer to fire at monotonic time `deadline_ns` (or soon, if that has
// passed). Replaces any earlier deadline.
void lapic_timer_arm(uint64_t deadline_ns);
void lapic_timer_cancel();

enum class Trigger : uint8_t { Edge, Level };
enum class Polarity : uint8_t { ActiveHigh, ActiveLow };

// Routes IOAPIC pin `pin` to vector DEVICE_VECTOR_BASE + pin on this CPU, unmasked.
Result<void> ioapic_route(uint8_t pin, Trigger trigger, Polarity polarity);

// This CPU's local APIC ID: the destination of its IOAPIC routes and MSI messages.
uint32_t lapic_id();

// A free vector in [MSI_VECTOR_FIRST, MSI_VECTOR_LAST] for one message-signalled
// interrupt; NOSPC when all are taken. free_msi_vector() gives it back (its IDT handler
// must be cleared first). Boot, main context.
Result<uint8_t> allocate_msi_vector();
void free_msi_vector(uint8_t vector);

// "x2apic" / "xapic" and whether the timer uses TSC-deadline mode, for the boot log.
const char* apic_mode_name();

}  // namespace kiln::x86
