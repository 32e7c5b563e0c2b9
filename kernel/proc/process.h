#pragma once

// The one process the kernel runs: its identity, signal dispositions and resource
// limits. Memory, files and the executable join this as their subsystems arrive.

#include <stdint.h>

namespace kiln {

inline constexpr int SIGNAL_COUNT = 64;

// struct kernel_sigaction as rt_sigaction(2) passes it on x86-64.
struct SignalAction {
    uint64_t handler;
    uint64_t flags;
    uint64_t restorer;
    uint64_t mask;
};
static_assert(sizeof(SignalAction) == 32);

// stack_t
struct SignalStack {
    uint64_t sp;
    int32_t flags;
    int32_t pad;
    uint64_t size;
};
static_assert(sizeof(SignalStack) == 24);

struct ResourceLimit {
    uint64_t current;
    uint64_t maximum;
};

inline constexpr int RLIMIT_COUNT = 16;
// Linux's RLIMIT_* numbers (asm-generic/resource.h) for the limits the kernel enforces.
inline constexpr int RLIMIT_STACK = 3;
inline constexpr int RLIMIT_NOFILE = 7;
inline constexpr uint64_t RLIM_INFINITY = ~0ULL;

struct Process {
    static constexpr int PID = 1;

    uint64_t clear_child_tid = 0;
    uint64_t robust_list_head = 0;
    uint64_t robust_list_length = 0;
    uint64_t rseq_area = 0;
    SignalAction signal_actions[SIGNAL_COUNT + 1] = {};
    uint64_t signal_mask = 0;
    SignalStack signal_stack = { 0, 2 /* SS_DISABLE */, 0, 0 };
    ResourceLimit limits[RLIMIT_COUNT] = {};

    Process();

    // Descriptors may be numbered below this (RLIMIT_NOFILE's soft limit).
    int open_file_limit() const { return static_cast<int>(limits[RLIMIT_NOFILE].current); }
};

Process& current_process();

// Ends the process — and with it the VM — as Linux would report it to a shell:
// a normal exit with status & 0xff, death by a signal with 128 + signal.
[[noreturn]] void process_exit(int status);
[[noreturn]] void process_killed_by_signal(int signal);

const char* signal_name(int signal);

}  // namespace kiln
