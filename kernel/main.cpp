// kernel_main: the boot sequence, in order. Each step is one call; what a step needs
// from the previous ones is explicit in its arguments.

#include "arch/x86_64/apic.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpu_features.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/idt.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/pic.h"
#include "boot/boot_info.h"
#include "dev/console.h"
#include "dev/device_interrupts.h"
#include "dev/power.h"
#include "lib/cmdline.h"
#include "dev/virtio/probe.h"
#include "exec/exec.h"
#include "exec/manifest.h"
#include "fs/aio/aio_context.h"
#include "fs/fd_table.h"
#include "fs/open_flags.h"
#include "fs/pseudo_files.h"
#include "fs/vfs.h"
#include "lib/kalloc.h"
#include "netif/network.h"
#include "linux/syscall.h"
#include "linux/user_memory.h"
#include "proc/process_memory.h"
#include "proc/stats.h"
#include "random/entropy.h"
#include "time/clock.h"
#include "time/wait.h"

extern "C" char kernel_stack_top[];

namespace kiln {

void run_global_constructors();

namespace {

BootInfo g_boot_info;
exec::Manifest g_manifest;

// Exit statuses for a VM that cannot start its program, following the shell's
// conventions: 127 when the program is missing, 126 when it cannot be executed, 125
// when the image itself is unusable.
constexpr int STATUS_BAD_IMAGE = 125;
constexpr int STATUS_CANNOT_EXECUTE = 126;
constexpr int STATUS_NOT_FOUND = 127;
constexpr size_t MAX_MANIFEST_BYTES = 64 * 1024;

void report_cpu(const x86::CpuFeatures& f)
{
    kinfo("kiln: cpu %s:%s%s%s%s%s%s%s%s%s%s, xsave area %u bytes\n", f.vendor, f.nx ? " nx" : "",
        f.xsave ? " xsave" : "", f.avx ? " avx" : "", f.avx2 ? " avx2" : "", f.avx512f ? " avx512f" : "",
        f.fsgsbase ? " fsgsbase" : "", f.smep ? " smep" : "", f.smap ? " smap" : "", f.rdrand ? " rdrand" : "",
        f.rdseed ? " rdseed" : "", f.xsave_size);
}

void report_memory_map(const BootInfo& info)
{
    kinfo("kiln: memory map (%zu regions%s):\n", info.memory_count, info.memory_truncated ? ", truncated" : "");
    for (size_t i = 0; i < info.memory_count; ++i) {
        const MemoryRegion& r = info.memory[i];
        kinfo("kiln:   [0x%016lx-0x%016lx] %s\n", r.base, r.base + r.size - 1, memory_type_name(r.type));
    }
    kinfo("kiln: %lu MiB usable RAM\n", info.ram_bytes() >> 20);
}

void report_initrd(const BootInfo& info, const PhysicalWindow& memory)
{
    if (!info.has_initrd) {
        kinfo("kiln: no initrd\n");
        return;
    }
    kinfo("kiln: initrd at 0x%lx, %lu bytes\n", info.initrd.base, info.initrd.size);
    size_t shown = info.initrd.size < 16 ? static_cast<size_t>(info.initrd.size) : 16;
    auto* bytes = static_cast<const uint8_t*>(memory.map(info.initrd.base, shown));
    char hex[16 * 3 + 1] = {};
    char text[16 + 1] = {};
    for (size_t i = 0; i < shown; ++i) {
        format(hex + i * 3, 4, "%02x ", bytes[i]);
        text[i] = bytes[i] >= 0x20 && bytes[i] < 0x7f ? static_cast<char>(bytes[i]) : '.';
    }
    kinfo("kiln: initrd first bytes: %s |%s|\n", hex, text);
}

// Switches that make the kernel misbehave on purpose, for boot tests of the failure
// paths. They live on the command line so the same kernel binary is tested.
void run_test_switch(const Cmdline& cmdline)
{
    auto test = cmdline.value("kiln.test");
    if (!test)
        return;
    kprintf("kiln: test switch kiln.test=%.*s\n", static_cast<int>(test->size()), test->data());
    if (*test == "pagefault") {
        // Not mapped by the boot page tables (they cover the low 4 GiB only).
        volatile uint64_t* unmapped = reinterpret_cast<volatile uint64_t*>(0x00007f0000000000);
        *unmapped = 0x6b696c6e;
    } else if (*test == "ud") {
        asm volatile("ud2");
    } else if (*test == "divide") {
        // In assembly: the compiler rewrites 1/x as x == 1 and never divides.
        asm volatile("xor %%edx, %%edx; mov $1, %%eax; div %0" ::"r"(0u) : "eax", "edx");
    } else if (*test == "exit") {
        power_off(static_cast<int>(cmdline.number("kiln.exit").value_or(0)));
    } else {
        kprintf("kiln: unknown test switch, ignored\n");
    }
}

[[noreturn]] void fail_boot(int status, const char* what, const char* path, Errno error)
{
    kprintf("kiln: %s%s%s: %s\n", what, path[0] ? " " : "", path, errno_name(error));
    power_off(status);
}

void read_manifest()
{
    const char* path = "/kiln/manifest.json";
    auto file = vfs::open(nullptr, path, O_READ_ONLY, 0);
    if (file.is_error())
        fail_boot(STATUS_BAD_IMAGE, "cannot open", path, file.error());
    size_t size = file.value()->size();
    if (size > MAX_MANIFEST_BYTES)
        fail_boot(STATUS_BAD_IMAGE, "too large:", path, Errno::FBIG);
    auto* text = static_cast<char*>(kalloc(size + 1));
    if (!text)
        fail_boot(STATUS_BAD_IMAGE, "no memory to read", path, Errno::NOMEM);
    auto n = file.value()->read(0, IoBuffer::kernel(text, size));
    file.value()->release();
    if (n.is_error())
        fail_boot(STATUS_BAD_IMAGE, "cannot read", path, n.error());
    exec::ManifestError error;
    if (parse_manifest(std::string_view(text, n.value()), g_manifest, &error).is_error()) {
        kprintf("kiln: %s: %s\n", path, error.what);
        power_off(STATUS_BAD_IMAGE);
    }
    kfree(text);
}

// fds 0, 1 and 2 are the console, as a shell would hand them to a program.
void open_standard_streams()
{
    for (int fd = 0; fd < 3; ++fd) {
        File* console = make<CharDeviceFile>(CharDevice::Console);
        if (!console || fd_table().install_at(fd, console, false).is_error())
            fail_boot(STATUS_BAD_IMAGE, "cannot open the console", "", Errno::NOMEM);
        (void)console->set_path("/dev/console", 12);
        console->status_flags = O_READ_WRITE;
    }
}

[[noreturn]] void start_program()
{
    // The manifest's strings are NUL-terminated in its storage.
    if (auto r = vfs::chdir(nullptr, g_manifest.cwd.data()); r.is_error())
        fail_boot(STATUS_BAD_IMAGE, "cannot change to the manifest's cwd", g_manifest.cwd.data(), r.error());
    exec::ExecFailure failure;
    auto start = exec::load_program(std::span(g_manifest.argv, g_manifest.argc),
        std::span(g_manifest.envp, g_manifest.envc), failure);
    if (start.is_error()) {
        kprintf("kiln: cannot start %.*s: %s %s\n", static_cast<int>(g_manifest.argv[0].size()),
            g_manifest.argv[0].data(), failure.what, failure.path);
        Errno e = start.error();
        fail_boot(e == Errno::NOENT ? STATUS_NOT_FOUND : STATUS_CANNOT_EXECUTE, "exec failed with", "", e);
    }
    g_stats.program_start_ns = monotonic_ns();
    x86::enter_user_mode(start->entry, start->stack_pointer);
}

} // namespace

extern "C" [[noreturn]] void kernel_main(uint64_t start_info_address)
{
    console_init();
    run_global_constructors();
    x86::gdt_init();
    x86::idt_init();
    x86::pic_disable();
    PhysicalWindow physical { reinterpret_cast<const uint8_t*>(DIRECT_MAP_BASE), BOOT_MAPPED_BYTES };
    if (auto r = parse_pvh_start_info(physical, start_info_address, g_boot_info); !r) {
        kprintf("kiln: unusable PVH start info at 0x%lx: %s\n", start_info_address, errno_name(r.error()));
        power_off(1);
    }
    Cmdline cmdline(g_boot_info.cmdline_view());
    console_set_quiet(cmdline.has("quiet"));
    kinfo("kiln: kernel starting\n");
    const auto& cpu = x86::cpu_features_init();
    report_cpu(cpu);
    x86::percpu_init(reinterpret_cast<uint64_t>(kernel_stack_top));
    user_memory_set_smap(cpu.smap);
    clock_init();
    random_init();
    kinfo("kiln: clock %s", clock_source_name());
    if (tsc_frequency_hz())
        kinfo(" (TSC %lu.%03lu MHz)", tsc_frequency_hz() / 1000000, tsc_frequency_hz() / 1000 % 1000);
    kinfo(", random seed from %s\n", random_source_name());

    syscalls_init(cmdline.has("kiln.strace"));
    stats_enable(cmdline.has("kiln.stats"));
    kinfo("kiln: command line \"%s\"\n", g_boot_info.cmdline);
    report_memory_map(g_boot_info);
    report_initrd(g_boot_info, physical);

    if (auto r = memory_init(g_boot_info); r.is_error()) {
        kprintf("kiln: kernel panic: cannot set up memory: %s\n", errno_name(r.error()));
        power_off(KERNEL_PANIC_STATUS);
    }
    kinfo("kiln: %lu MiB for the program\n", memory_free_bytes() >> 20);
    if (auto r = x86::apic_init(cmdline.has("kiln.xapic")); r.is_error()) {
        kprintf("kiln: kernel panic: cannot set up the interrupt controllers: %s\n", errno_name(r.error()));
        power_off(KERNEL_PANIC_STATUS);
    }
    wait_init();
    kinfo("kiln: interrupts: %s\n", x86::apic_mode_name());
    virtio::virtio_probe(cmdline);
    if (route_device_interrupts().is_error())
        power_off(KERNEL_PANIC_STATUS);
    virtio::virtio_smoke_test(cmdline);
    wait_add_service(network_service, network_deadline);
    wait_add_service(aio::aio_service, nullptr);
    if (auto r = network_init(cmdline); r.is_error())
        kprintf("kiln: network set-up failed (%s); continuing without it\n", errno_name(r.error()));

    run_test_switch(cmdline);

    if (!g_boot_info.has_initrd) {
        kprintf("kiln: no initrd: nothing to run\n");
        power_off(0);
    }
    auto* image = static_cast<const uint8_t*>(direct_map_pointer(g_boot_info.initrd.base));
    PseudoFileSources sources { memory_maps_text, memory_meminfo_text, network_resolv_conf };
    if (auto r = vfs::init(std::span(image, g_boot_info.initrd.size), sources); r.is_error())
        fail_boot(STATUS_BAD_IMAGE, "the initrd is not a usable root image (EROFS)", "", r.error());
    read_manifest();
    open_standard_streams();
    start_program();
}

} // namespace kiln
