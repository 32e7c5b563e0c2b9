#include "proc/stats.h"

#include "dev/console.h"
#include "proc/process_memory.h"
#include "time/clock.h"

namespace kiln {

KernelStats g_stats;

namespace {
bool g_enabled = false;
StatsReporter g_reporters[4] = {};
}

void stats_add_reporter(StatsReporter reporter)
{
    for (StatsReporter& slot : g_reporters) {
        if (!slot) {
            slot = reporter;
            return;
        }
    }
}

void stats_enable(bool enabled) { g_enabled = enabled; }

void stats_report()
{
    if (!g_enabled)
        return;
    uint64_t now = monotonic_ns();
    uint64_t faults = g_stats.faults_anonymous + g_stats.faults_file_mapped + g_stats.faults_file_copied
        + g_stats.faults_copy_on_write;
    kprintf("kiln: stats: kernel boot %lu ms, program ran %lu ms\n", g_stats.program_start_ns / 1000000,
        (now - g_stats.program_start_ns) / 1000000);
    kprintf("kiln: stats: %lu system calls, %lu page faults (%lu anonymous, %lu image pages mapped, %lu file pages "
            "copied, %lu copy-on-write)\n",
        g_stats.syscalls, faults, g_stats.faults_anonymous, g_stats.faults_file_mapped, g_stats.faults_file_copied,
        g_stats.faults_copy_on_write);
    kprintf("kiln: stats: memory in use %lu KiB of %lu KiB\n", (memory_total_bytes() - memory_free_bytes()) >> 10,
        memory_total_bytes() >> 10);
    for (StatsReporter reporter : g_reporters) {
        if (reporter)
            reporter();
    }
}

}  // namespace kiln
