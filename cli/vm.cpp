#include "vm.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <regex>

extern char** environ;

namespace kiln::cli {
namespace {

constexpr int STATUS_VM_FAILED = 125;

pid_t g_qemu_pid = -1;

void forward_signal(int signal)
{
    if (g_qemu_pid > 0)
        ::kill(g_qemu_pid, SIGTERM);
    (void)signal;
}

} // namespace

std::vector<std::string> qemu_command(const VmConfig& config)
{
    std::vector<std::string> argv = {
        "qemu-system-x86_64",
        // acpi=off: QEMU then lists the virtio-mmio devices on the kernel command line
        // (virtio_mmio.device=...) on the first IOAPIC, as Firecracker does.
        "-M",
        "microvm,acpi=off",
        // QEMU 7.2's virtio-mmio is legacy (version 1) unless told otherwise; the kernel
        // drives virtio 1.x only.
        "-global",
        "virtio-mmio.force-legacy=false",
        "-accel",
        accel_name(config.accel),
        "-cpu",
        config.accel == Accel::Kvm ? "host" : "max",
        "-m",
        config.memory,
        "-smp",
        "1",
        "-nodefaults",
        "-no-user-config",
        "-display",
        "none",
        "-serial",
        "stdio",
        "-no-reboot",
        "-device",
        "isa-debug-exit,iobase=0xf4,iosize=4",
        "-kernel",
        config.kernel,
    };
    if (!config.initrd.empty()) {
        argv.push_back("-initrd");
        argv.push_back(config.initrd);
    }
    std::string append = config.quiet ? "console=ttyS0 quiet" : "console=ttyS0";
    if (!config.kernel_args.empty())
        append += " " + config.kernel_args;
    argv.push_back("-append");
    argv.push_back(append);
    return argv;
}

int guest_exit_status(const std::string& last_console_line)
{
    static const std::regex status_line(R"(^kiln: exit status (\d{1,3})\r?$)");
    std::smatch m;
    if (std::regex_match(last_console_line, m, status_line)) {
        int n = std::stoi(m[1]);
        if (n <= 255)
            return n;
    }
    return -1;
}

int run_vm(const VmConfig& config)
{
    std::vector<std::string> command = qemu_command(config);
    std::vector<char*> argv;
    for (auto& a : command)
        argv.push_back(a.data());
    argv.push_back(nullptr);

    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
        std::fprintf(stderr, "kiln: pipe: %s\n", std::strerror(errno));
        return STATUS_VM_FAILED;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);

    pid_t pid;
    int rc = ::posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipe_fds[1]);
    if (rc != 0) {
        std::fprintf(
            stderr, "kiln: cannot start %s: %s (run scripts/setup to install QEMU)\n", argv[0], std::strerror(rc));
        ::close(pipe_fds[0]);
        return STATUS_VM_FAILED;
    }
    g_qemu_pid = pid;
    struct sigaction action { };
    action.sa_handler = forward_signal;
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);

    // Copy the console through, remembering the last complete line.
    std::string line;
    std::string last_line;
    char buffer[4096];
    for (;;) {
        ssize_t n = ::read(pipe_fds[0], buffer, sizeof(buffer));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        std::fwrite(buffer, 1, static_cast<size_t>(n), stdout);
        std::fflush(stdout);
        for (ssize_t i = 0; i < n; ++i) {
            if (buffer[i] == '\n') {
                last_line = std::move(line);
                line.clear();
            } else if (line.size() < 256) {
                line.push_back(buffer[i]);
            }
        }
    }
    ::close(pipe_fds[0]);

    int wait_status = 0;
    while (::waitpid(pid, &wait_status, 0) < 0 && errno == EINTR) { }
    g_qemu_pid = -1;
    bool exited = WIFEXITED(wait_status);
    int code = exited ? WEXITSTATUS(wait_status) : 128 + WTERMSIG(wait_status);
    int status = guest_exit_status(last_line);
    if (status < 0) {
        std::fprintf(stderr, "kiln: the VM ended without reporting an exit status (qemu %s %d)\n",
            exited ? "exit code" : "killed by signal", exited ? code : WTERMSIG(wait_status));
        return STATUS_VM_FAILED;
    }
    return status;
}

} // namespace kiln::cli
