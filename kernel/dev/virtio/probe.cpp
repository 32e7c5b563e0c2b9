// Boot-time virtio discovery and the smoke test. Kernel only: the portable pieces
// (transports, queues, drivers, command-line parsing) live in the other files of this
// folder and are unit-tested on the host.

#include "dev/virtio/probe.h"

#include "arch/x86_64/layout.h"
#include "dev/console.h"
#include "dev/pci/pci_port_io.h"
#include "dev/virtio/blk.h"
#include "dev/virtio/discovery.h"
#include "dev/virtio/mmio_transport.h"
#include "dev/virtio/net.h"
#include "dev/virtio/pci_msix.h"
#include "dev/virtio/pci_transport.h"
#include "lib/cmdline.h"
#include "lib/kalloc.h"
#include "proc/process_memory.h"
#include "random/entropy.h"
#include "time/clock.h"
#include "time/wait.h"

namespace kiln::virtio {

namespace {

constexpr size_t MAX_DEVICES = 16;
constexpr size_t MAX_PCI_FUNCTIONS = 64;
constexpr uint64_t SMOKE_TIMEOUT_NS = 2'000'000'000;

ProbedDevice g_devices[MAX_DEVICES];
size_t g_device_count = 0;
pci::PortIoConfigAccess g_pci;
bool g_msix_allowed = true; // kiln.msix=off clears it

// Device registers go through the kernel's uncached MMIO window (never unmapped: devices
// live as long as the kernel).
volatile uint8_t* map_registers(uint64_t physical, size_t length)
{
    auto mapped = map_device_memory(physical, length);
    return mapped.is_error() ? nullptr : mapped.value();
}

class KernelMapper final : public RegisterMapper {
public:
    RegisterWindow* map(uint64_t physical, size_t length) override
    {
        volatile uint8_t* base = map_registers(physical, length);
        return base ? make<MmioWindow>(base) : nullptr;
    }
};
KernelMapper g_mapper;

void report_failure(const char* what, const DeviceLocation& where, const char* why, Errno error)
{
    char place[48];
    describe_location(where, place, sizeof(place));
    kprintf("kiln: %s at %s: %s (%s)\n", what, place, why, errno_name(error));
}

void start_device(Transport* transport, PciTransport* pci = nullptr)
{
    if (g_device_count == MAX_DEVICES) {
        kprintf("kiln: virtio: more than %zu devices, ignoring the rest\n", MAX_DEVICES);
        return;
    }
    ProbedDevice& device = g_devices[g_device_count++];
    device.type = transport->device_type();
    device.transport = transport;
    device.pci = pci;
    if (pci && (device.type == DeviceType::Network || device.type == DeviceType::Block))
        prepare_msix(device, g_msix_allowed);
    const char* name = device_type_name(device.type);
    char place[48];
    describe_location(transport->location(), place, sizeof(place));
    const char* why = "";

    if (device.type == DeviceType::Network) {
        MacAddress fallback;
        random_fill(fallback.data(), fallback.size());
        fallback[0] = static_cast<uint8_t>((fallback[0] & 0xfe) | 0x02); // unicast, locally administered
        auto net = VirtioNet::try_create(*transport, dma_memory(), fallback, why);
        settle_msix(device, !net.is_error());
        if (net.is_error()) {
            report_failure(name, transport->location(), why, net.error());
            return;
        }
        device.net = net.value();
        const MacAddress& m = device.net->mac();
        kinfo("kiln: %s at %s: mac %02x:%02x:%02x:%02x:%02x:%02x%s, link %s\n", name, place, m[0], m[1], m[2], m[3],
            m[4], m[5], device.net->has_device_mac() ? "" : " (random)", device.net->link_up() ? "up" : "down");
    } else if (device.type == DeviceType::Block) {
        auto blk = VirtioBlk::try_create(*transport, dma_memory(), why);
        settle_msix(device, !blk.is_error());
        if (blk.is_error()) {
            report_failure(name, transport->location(), why, blk.error());
            return;
        }
        device.blk = blk.value();
        kinfo("kiln: %s at %s: %lu sectors of %u bytes, %s%s\n", name, place, device.blk->capacity_sectors(),
            device.blk->block_size(), device.blk->read_only() ? "read-only" : "read-write",
            device.blk->has_flush() ? ", flush" : "");
    } else {
        // Left untouched (not even reset): no driver.
        kinfo("kiln: %s (device type %u) at %s: no driver\n", name, static_cast<unsigned>(device.type), place);
    }
}

void probe_mmio_window(RegisterWindow* window, const DeviceLocation& where)
{
    if (!window) {
        report_failure("virtio", where, "cannot map the registers", Errno::FAULT);
        return;
    }
    const char* why = "";
    auto transport = MmioTransport::try_create(*window, where, why);
    if (transport.is_error()) {
        report_failure("virtio", where, why, transport.error());
        return;
    }
    auto* t = make<MmioTransport>(transport.release_value());
    if (!t) {
        report_failure("virtio", where, "out of memory", Errno::NOMEM);
        return;
    }
    start_device(t);
}

DeviceLocation mmio_location(uint64_t base, int irq)
{
    DeviceLocation where;
    where.bus = DeviceLocation::Bus::Mmio;
    where.mmio_base = base;
    where.irq = irq;
    return where;
}

// microvm with ACPI (QEMU's default) puts no virtio_mmio.device words on the command
// line; its transports sit at fixed addresses instead (discovery.h).
void probe_microvm_slots()
{
    volatile uint8_t* slots = map_registers(microvm::MMIO_BASE, microvm::MAX_TRANSPORTS * microvm::MMIO_STRIDE);
    if (!slots)
        return;
    bool present[microvm::MAX_TRANSPORTS] = {};
    size_t transports = 0;
    for (size_t i = 0; i < microvm::MAX_TRANSPORTS; ++i) {
        MmioWindow window(slots + i * microvm::MMIO_STRIDE);
        if (window.read32(mmio::MAGIC_VALUE) != mmio::MAGIC)
            break;
        ++transports;
        present[i] = MmioTransport::has_device(window);
    }
    // QEMU fills the highest-numbered transport first; probe in the order the command
    // line would have listed them.
    for (size_t i = transports; i-- > 0;) {
        if (!present[i])
            continue;
        auto where = mmio_location(microvm::transport_base(i), microvm::transport_irq(i, transports, true));
        probe_mmio_window(make<MmioWindow>(slots + i * microvm::MMIO_STRIDE), where);
    }
}

void probe_pci_bus0()
{
    pci::Function functions[MAX_PCI_FUNCTIONS];
    size_t found = pci::scan_bus(g_pci, 0, functions);
    if (found > MAX_PCI_FUNCTIONS)
        found = MAX_PCI_FUNCTIONS;
    for (size_t i = 0; i < found; ++i) {
        if (PciTransport::device_type_of(functions[i]) == DeviceType::Invalid)
            continue;
        DeviceLocation where;
        where.bus = DeviceLocation::Bus::Pci;
        where.pci_device = functions[i].address.device;
        where.pci_function = functions[i].address.function;
        where.irq = functions[i].interrupt_pin ? functions[i].interrupt_line : -1;
        const char* why = "";
        auto transport = PciTransport::try_create(g_pci, functions[i], g_mapper, why);
        if (transport.is_error()) {
            report_failure("virtio", where, why, transport.error());
            continue;
        }
        auto* t = make<PciTransport>(transport.release_value());
        if (!t) {
            report_failure("virtio", where, "out of memory", Errno::NOMEM);
            return;
        }
        start_device(t, t);
    }
}

// --- smoke test ---

uint64_t interrupt_count(const ProbedDevice& device)
{
    if (device.net)
        return device.net->stats().interrupts;
    return device.blk ? device.blk->stats().interrupts : 0;
}

// Waits (bounded) until `done` says so. A device whose interrupts are routed is waited
// for with the CPU halted, so only its interrupt (or the deadline) wakes the check; the
// others are polled.
template <typename Done> bool smoke_wait(const ProbedDevice& device, Done done)
{
    uint64_t deadline = monotonic_ns() + SMOKE_TIMEOUT_NS;
    if (device.interrupts == InterruptMode::None) {
        while (!done() && monotonic_ns() < deadline) { }
        return done();
    }
    auto check = [](void* context) { return (*static_cast<Done*>(context))(); };
    return wait_until(deadline, check, &done) == WaitResult::Ready;
}

// Proves the device's interrupts arrive: the I/O above made it raise at least one (its
// used-buffer notifications are enabled), which is delivered as soon as the CPU takes
// interrupts, so the count is checked after a bounded halt, not a race.
void smoke_interrupts(const ProbedDevice& device)
{
    if (device.interrupts == InterruptMode::None)
        return;
    char place[48];
    describe_location(device.transport->location(), place, sizeof(place));
    const char* name = device_type_name(device.type);
    const char* mode = device.interrupts == InterruptMode::Msix ? "MSI-X" : "IOAPIC line";
    bool arrived = smoke_wait(device, [&] { return interrupt_count(device) > 0; });
    if (arrived)
        kinfo("kiln: %s at %s: %lu interrupt%s by %s\n", name, place, interrupt_count(device),
            interrupt_count(device) == 1 ? "" : "s", mode);
    else
        kprintf("kiln: %s at %s: no interrupt by %s within 2 s\n", name, place, mode);
}

void print_sector_start(const char* name, const char* place, const uint8_t* bytes)
{
    char hex[16 * 3 + 1] = {};
    char text[16 + 1] = {};
    for (size_t i = 0; i < 16; ++i) {
        format(hex + i * 3, 4, "%02x ", bytes[i]);
        text[i] = bytes[i] >= 0x20 && bytes[i] < 0x7f ? static_cast<char>(bytes[i]) : '.';
    }
    kinfo("kiln: %s at %s: sector 0: %s|%s|\n", name, place, hex, text);
}

void smoke_read_sector0(ProbedDevice& device)
{
    char place[48];
    describe_location(device.transport->location(), place, sizeof(place));
    DmaMemory memory = dma_memory();
    auto page = dma_allocate(memory, mm::PAGE_SIZE);
    if (page.is_error()) {
        kprintf("kiln: virtio-blk at %s: no memory for the smoke test\n", place);
        return;
    }
    struct Done {
        bool finished = false;
        Result<void> result;
    } done;
    Segment data { page->physical, static_cast<uint32_t>(blk::SECTOR_SIZE) };
    BlockRequest request;
    request.operation = BlockOperation::Read;
    request.sector = 0;
    request.buffers = std::span(&data, 1);
    request.context = &done;
    request.completion = [](void* context, uint16_t, Result<void> result) {
        auto* d = static_cast<Done*>(context);
        d->finished = true;
        d->result = result;
    };
    auto tag = device.blk->submit(request);
    if (tag.is_error()) {
        kprintf("kiln: virtio-blk at %s: cannot submit a read of sector 0: %s\n", place, errno_name(tag.error()));
        dma_release(memory, page.value());
        return;
    }
    smoke_wait(device, [&] {
        device.blk->poll_completions();
        return done.finished;
    });
    if (!done.finished) {
        // The buffer stays with the device: leaking one page beats a DMA into freed memory.
        kprintf("kiln: virtio-blk at %s: read of sector 0 timed out\n", place);
        return;
    }
    if (done.result.is_error())
        kprintf("kiln: virtio-blk at %s: read of sector 0 failed: %s\n", place, errno_name(done.result.error()));
    else
        print_sector_start("virtio-blk", place, page->pointer);
    dma_release(memory, page.value());
}

// RFC 826 request for 10.0.2.2 from 10.0.2.15 (QEMU user networking's addresses).
void smoke_arp(ProbedDevice& device)
{
    char place[48];
    describe_location(device.transport->location(), place, sizeof(place));
    const MacAddress& mac = device.net->mac();
    const uint8_t our_ip[4] = { 10, 0, 2, 15 };
    const uint8_t gateway_ip[4] = { 10, 0, 2, 2 };
    uint8_t frame[42] = {};
    __builtin_memset(frame, 0xff, 6);
    __builtin_memcpy(frame + 6, mac.data(), 6);
    frame[12] = 0x08;
    frame[13] = 0x06; // ARP
    const uint8_t arp_header[8] = { 0, 1, 8, 0, 6, 4, 0, 1 }; // Ethernet, IPv4, request
    __builtin_memcpy(frame + 14, arp_header, 8);
    __builtin_memcpy(frame + 22, mac.data(), 6);
    __builtin_memcpy(frame + 28, our_ip, 4);
    __builtin_memcpy(frame + 38, gateway_ip, 4);
    if (auto r = device.net->transmit(frame); r.is_error()) {
        kprintf("kiln: virtio-net at %s: cannot send an ARP request: %s\n", place, errno_name(r.error()));
        return;
    }
    bool answered = false;
    uint8_t answer[6] = {};
    auto handler = [&](std::span<const uint8_t> f) {
        if (answered || f.size() < 42 || f[12] != 0x08 || f[13] != 0x06 || f[21] != 2)
            return;
        if (__builtin_memcmp(f.data() + 28, gateway_ip, 4) != 0)
            return;
        __builtin_memcpy(answer, f.data() + 22, 6);
        answered = true;
    };
    smoke_wait(device, [&] {
        device.net->poll_receive(handler);
        return answered;
    });
    if (answered)
        kinfo("kiln: virtio-net at %s: ARP reply: 10.0.2.2 is at %02x:%02x:%02x:%02x:%02x:%02x\n", place, answer[0],
            answer[1], answer[2], answer[3], answer[4], answer[5]);
    else
        kprintf("kiln: virtio-net at %s: no ARP reply from 10.0.2.2\n", place);
}

} // namespace

void describe_location(const DeviceLocation& where, char* out, size_t size)
{
    size_t n;
    if (where.bus == DeviceLocation::Bus::Mmio)
        n = format(out, size, "mmio 0x%lx", where.mmio_base);
    else
        n = format(out, size, "pci %02x:%02x.%x", where.pci_bus, where.pci_device, where.pci_function);
    if (n < size && where.irq >= 0)
        format(out + n, size - n, " irq %d", where.irq);
}

DmaMemory dma_memory()
{
    return DmaMemory { physical_allocator().frame_source(), mm::PhysicalMemory(DIRECT_MAP_BASE) };
}

size_t virtio_probe(const Cmdline& cmdline)
{
    if (cmdline.value("kiln.virtio") == std::optional<std::string_view>("off"))
        return 0;
    g_msix_allowed = cmdline.value("kiln.msix") != std::optional<std::string_view>("off");

    MmioDeviceSpec specs[MAX_DEVICES];
    size_t malformed = 0;
    size_t listed = mmio_devices_from_cmdline(cmdline, specs, malformed);
    if (malformed)
        kprintf("kiln: virtio: ignored %zu malformed virtio_mmio.device words\n", malformed);
    for (size_t i = 0; i < listed && i < MAX_DEVICES; ++i) {
        size_t length = specs[i].size < mmio::WINDOW_SIZE ? mmio::WINDOW_SIZE : specs[i].size;
        probe_mmio_window(g_mapper.map(specs[i].base, length), mmio_location(specs[i].base, specs[i].irq));
    }

    bool has_pci = g_pci.present();
    if (listed == 0 && !has_pci)
        probe_microvm_slots();
    if (has_pci)
        probe_pci_bus0();

    size_t started = 0;
    for (size_t i = 0; i < g_device_count; ++i)
        started += (g_devices[i].net || g_devices[i].blk) ? 1 : 0;
    if (g_device_count == 0)
        kinfo("kiln: no virtio devices\n");
    return started;
}

std::span<ProbedDevice> virtio_devices() { return std::span(g_devices, g_device_count); }

VirtioNet* virtio_net(size_t index)
{
    for (size_t i = 0; i < g_device_count; ++i)
        if (g_devices[i].net && index-- == 0)
            return g_devices[i].net;
    return nullptr;
}

VirtioBlk* virtio_blk(size_t index)
{
    for (size_t i = 0; i < g_device_count; ++i)
        if (g_devices[i].blk && index-- == 0)
            return g_devices[i].blk;
    return nullptr;
}

void virtio_smoke_test(const Cmdline& cmdline)
{
    bool arp = cmdline.has("kiln.virtio_arp");
    for (size_t i = 0; i < g_device_count; ++i) {
        if (g_devices[i].blk)
            smoke_read_sector0(g_devices[i]);
        if (g_devices[i].net && arp)
            smoke_arp(g_devices[i]);
        if (g_devices[i].blk || (g_devices[i].net && arp))
            smoke_interrupts(g_devices[i]);
    }
}

} // namespace kiln::virtio
