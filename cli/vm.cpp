#include "vm.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <regex>

namespace kiln::cli {
namespace {

namespace fs = std::filesystem;

constexpr int STATUS_VM_FAILED = 125;

volatile sig_atomic_t g_qemu_pid = -1;
volatile sig_atomic_t g_stop_signal = 0;
volatile sig_atomic_t g_stop_requests = 0;

void forward_signal(int signal)
{
    if (g_stop_signal == 0)
        g_stop_signal = signal;
    pid_t pid = g_qemu_pid;
    if (pid > 0)
        ::kill(pid, g_stop_requests > 0 ? SIGKILL : SIGTERM);
    g_stop_requests = g_stop_requests + 1;
}

// QEMU option values are comma-separated; a comma inside a value is written twice.
std::string qemu_escape(const std::string& value)
{
    std::string out;
    for (char c : value) {
        out += c;
        if (c == ',')
            out += ',';
    }
    return out;
}

} // namespace

std::string tap_mac(const std::string& tap)
{
    uint32_t hash = 2166136261u; // FNV-1a
    for (char c : tap)
        hash = (hash ^ static_cast<uint8_t>(c)) * 16777619u;
    char mac[18];
    std::snprintf(mac, sizeof(mac), "52:54:00:%02x:%02x:%02x", hash >> 16 & 0xff, hash >> 8 & 0xff, hash & 0xff);
    return mac;
}

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
    if (config.network.mode == NetworkMode::User) {
        std::string netdev = "user,id=n0";
        std::string guest_address = config.ip ? config.ip->address : "";
        for (const PortForward& port : config.ports)
            netdev += std::string(",hostfwd=") + (port.protocol == Protocol::Udp ? "udp" : "tcp") + ":127.0.0.1:"
                + std::to_string(port.host) + "-" + guest_address + ":" + std::to_string(port.guest);
        argv.insert(argv.end(), { "-netdev", netdev, "-device", "virtio-net-device,netdev=n0" });
    } else if (config.network.mode == NetworkMode::Tap) {
        std::string netdev = "tap,id=n0,ifname=" + qemu_escape(config.network.tap) + ",script=no,downscript=no";
        argv.insert(argv.end(),
            { "-netdev", netdev, "-device", "virtio-net-device,netdev=n0,mac=" + tap_mac(config.network.tap) });
    }
    for (size_t i = 0; i < config.disks.size(); ++i) {
        const DiskSpec& disk = config.disks[i];
        std::string id = "d" + std::to_string(i);
        std::string drive = "file=" + qemu_escape(disk.file) + ",if=none,format=raw,id=" + id;
        if (disk.read_only)
            drive += ",readonly=on";
        argv.insert(argv.end(), { "-drive", drive, "-device", "virtio-blk-device,drive=" + id });
    }
    std::string append = config.quiet ? "console=ttyS0 quiet" : "console=ttyS0";
    if (config.ip)
        append += " kiln.ip=" + config.ip->text;
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

std::string prepare_disk(const DiskSpec& disk)
{
    std::error_code ec;
    fs::file_status status = fs::status(disk.file, ec);
    if (fs::exists(status)) {
        if (!fs::is_regular_file(status) && !fs::is_block_file(status))
            return "disk " + disk.file + " is not a file";
        if (::access(disk.file.c_str(), disk.read_only ? R_OK : R_OK | W_OK) != 0)
            return "disk " + disk.file + ": " + std::strerror(errno)
                + (disk.read_only ? "" : " (attach it read-only with " + disk.file + ",ro)");
        return {};
    }
    if (!disk.create_size)
        return "disk " + disk.file + " does not exist; give a size to create it, e.g. --disk " + disk.file + ":64M";
    if (disk.read_only)
        return "disk " + disk.file + " does not exist; a new disk cannot be read-only (drop ,ro)";
    int fd = ::open(disk.file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        return "cannot create disk " + disk.file + ": " + std::strerror(errno);
    int rc = ::ftruncate(fd, static_cast<off_t>(*disk.create_size));
    int saved = errno;
    ::close(fd);
    if (rc != 0) {
        ::unlink(disk.file.c_str());
        return "cannot size disk " + disk.file + ": " + std::strerror(saved);
    }
    std::fprintf(stderr, "kiln: created disk %s (%llu bytes)\n", disk.file.c_str(),
        static_cast<unsigned long long>(*disk.create_size));
    return {};
}

int run_vm(const VmConfig& config)
{
    std::vector<std::string> command = qemu_command(config);
    std::vector<char*> argv;
    for (auto& a : command)
        argv.push_back(a.data());
    argv.push_back(nullptr);

    int pipe_fds[2];
    int exec_fds[2]; // tells the parent whether exec worked (closed on exec)
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0 || ::pipe2(exec_fds, O_CLOEXEC) != 0) {
        std::fprintf(stderr, "kiln: pipe: %s\n", std::strerror(errno));
        return STATUS_VM_FAILED;
    }
    struct sigaction action { };
    action.sa_handler = forward_signal;
    sigemptyset(&action.sa_mask);
    for (int signal : { SIGINT, SIGTERM, SIGHUP })
        ::sigaction(signal, &action, nullptr);

    pid_t parent = ::getpid();
    pid_t pid = ::fork();
    if (pid < 0) {
        std::fprintf(stderr, "kiln: fork: %s\n", std::strerror(errno));
        return STATUS_VM_FAILED;
    }
    if (pid == 0) {
        // Own process group: the terminal's Ctrl-C goes to kiln, which shuts QEMU down.
        ::setpgid(0, 0);
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent)
            ::_exit(STATUS_VM_FAILED);
        struct sigaction restore { };
        restore.sa_handler = SIG_DFL;
        for (int signal : { SIGINT, SIGTERM, SIGHUP })
            ::sigaction(signal, &restore, nullptr);
        if (!config.qemu_preload.empty()) {
            const char* others = std::getenv("LD_PRELOAD");
            std::string preload = config.qemu_preload + (others && *others ? std::string(":") + others : "");
            ::setenv("LD_PRELOAD", preload.c_str(), 1);
        }
        int null = ::open("/dev/null", O_RDONLY);
        ::dup2(null, 0);
        ::dup2(pipe_fds[1], 1);
        ::execvp(argv[0], argv.data());
        int error = errno;
        (void)!::write(exec_fds[1], &error, sizeof(error));
        ::_exit(127);
    }
    g_qemu_pid = pid;
    if (g_stop_signal)
        ::kill(pid, SIGTERM);
    ::close(pipe_fds[1]);
    ::close(exec_fds[1]);
    int exec_error = 0;
    ssize_t got;
    while ((got = ::read(exec_fds[0], &exec_error, sizeof(exec_error))) < 0 && errno == EINTR) { }
    ::close(exec_fds[0]);
    if (got == sizeof(exec_error)) {
        std::fprintf(stderr, "kiln: cannot start %s: %s (run scripts/setup to install QEMU)\n", argv[0],
            std::strerror(exec_error));
        ::close(pipe_fds[0]);
        while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) { }
        return STATUS_VM_FAILED;
    }

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
    if (status >= 0)
        return status;
    if (g_stop_signal) {
        std::fprintf(stderr, "\nkiln: %s: the VM was shut down\n", strsignal(g_stop_signal));
        return 128 + g_stop_signal;
    }
    std::fprintf(stderr, "kiln: the VM ended without reporting an exit status (qemu %s %d)\n",
        exited ? "exit code" : "killed by signal", exited ? code : WTERMSIG(wait_status));
    return STATUS_VM_FAILED;
}

} // namespace kiln::cli
