#pragma once

// Counters for finding where boot time goes, printed when the process ends if the
// kernel command line has `kiln.stats`. Plain increments: one CPU, no concurrency.

#include <stdint.h>

namespace kiln {

struct KernelStats {
    uint64_t syscalls = 0;
    uint64_t faults_anonymous = 0;
    uint64_t faults_file_mapped = 0;  // image pages mapped without copying
    uint64_t faults_file_copied = 0;
    uint64_t faults_copy_on_write = 0;
    uint64_t program_start_ns = 0;    // monotonic time when the program got control
};

extern KernelStats g_stats;

void stats_enable(bool enabled);
// Prints the counters (if enabled); called just before the VM powers off.
void stats_report();
// Subsystems above proc/ (the network) add their own lines to the report. At most
// four; more are ignored.
using StatsReporter = void (*)();
void stats_add_reporter(StatsReporter reporter);

}  // namespace kiln
