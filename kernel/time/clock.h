#pragma once

// The kernel's clocks. Monotonic time comes from kvmclock where the hypervisor offers it
// (CPUID 0x40000001, KVM_FEATURE_CLOCKSOURCE2), else from the TSC calibrated against the
// PIT (TCG has no kvmclock). Wall-clock time is read once at boot (kvmclock's wall clock
// or the CMOS RTC) and advanced with the monotonic clock.

#include <stdint.h>

namespace kiln {

// Boot CPU, once, interrupts off. Takes ~10 ms when it has to calibrate against the PIT.
void clock_init();

// Nanoseconds since clock_init(); never goes backwards. Any context.
uint64_t monotonic_ns();

// Nanoseconds since the Unix epoch.
uint64_t realtime_ns();

// "kvmclock" or "tsc"; and the TSC frequency (calibrated, or derived from kvmclock).
const char* clock_source_name();
uint64_t tsc_frequency_hz();

// Physical address of the page holding the clock state, mapped into the process as
// [vvar] for the vDSO (time/clock_data.h).
uint64_t clock_data_physical();

// Busy-waits; for drivers that must pause briefly before interrupts exist.
void delay_ns(uint64_t nanoseconds);

}  // namespace kiln
