#include "proc/process.h"

#include "dev/console.h"
#include "dev/power.h"
#include "proc/stats.h"

namespace kiln {
namespace {

Process g_process;


}  // namespace

Process::Process()
{
    for (auto& limit : limits)
        limit = { RLIM_INFINITY, RLIM_INFINITY };
    limits[RLIMIT_STACK] = { 8 * 1024 * 1024, RLIM_INFINITY };
    limits[RLIMIT_NOFILE] = { 1024, 4096 };
}

Process& current_process() { return g_process; }

void process_exit(int status)
{
    stats_report();
    power_off(status & 0xff);
}

void process_killed_by_signal(int signal)
{
    kprintf("kiln: process killed by %s\n", signal_name(signal));
    stats_report();
    power_off(128 + signal);
}

const char* signal_name(int signal)
{
    static const char* const names[] = { "signal 0", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT",
        "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT",
        "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM",
        "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS" };
    if (signal >= 0 && signal < static_cast<int>(sizeof(names) / sizeof(names[0])))
        return names[signal];
    return "a real-time signal";
}

}  // namespace kiln
