#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "dev/virtio/mmio_transport.h"
#include "dev/virtio/pci_transport.h"
#include "dev/virtio/virtqueue.h"
#include "virtio_fake_device.h"

using namespace kiln;
using namespace kiln::virtio;
using namespace kiln::virtio::testing;

namespace {

constexpr uint64_t V1 = 1ULL << 32;
constexpr uint64_t MAC = 1ULL << 5;
constexpr uint64_t STATUS = 1ULL << 16;
constexpr uint64_t CSUM = 1ULL << 0;

DeviceLocation mmio_at(uint64_t base, int irq)
{
    DeviceLocation l;
    l.mmio_base = base;
    l.irq = irq;
    return l;
}

} // namespace

// --- virtio-mmio: identification (4.2.3.1.1) ---

TEST(VirtioMmioTransport, AcceptsAModernDevice)
{
    FakeRam ram;
    FakeDevice device(ram, DeviceType::Network, V1, 8, 2);
    FakeMmio mmio(device);
    const char* why = nullptr;
    auto t = MmioTransport::try_create(mmio, mmio_at(0xfeb00e00, 12), why);
    ASSERT_FALSE(t.is_error()) << why;
    EXPECT_EQ(t->device_type(), DeviceType::Network);
    EXPECT_EQ(t->location().mmio_base, 0xfeb00e00u);
    EXPECT_EQ(t->location().irq, 12);
    EXPECT_TRUE(MmioTransport::has_device(mmio));
}

TEST(VirtioMmioTransport, RejectsLegacyDevicesWithAHint)
{
    FakeRam ram;
    FakeDevice device(ram, DeviceType::Network, V1, 8, 2);
    FakeMmio mmio(device, 1);
    const char* why = nullptr;
    auto t = MmioTransport::try_create(mmio, {}, why);
    EXPECT_EQ(t.error(), Errno::PROTONOSUPPORT);
    EXPECT_NE(std::string(why).find("force-legacy=false"), std::string::npos) << why;
}

TEST(VirtioMmioTransport, RejectsWrongMagicAndEmptyTransports)
{
    FakeRam ram;
    FakeDevice device(ram, DeviceType::Network, V1, 8, 2);
    FakeMmio mmio(device);
    const char* why = nullptr;
    mmio.magic = 0xffffffff;
    EXPECT_EQ(MmioTransport::try_create(mmio, {}, why).error(), Errno::NODEV);
    EXPECT_FALSE(MmioTransport::has_device(mmio));

    FakeDevice empty(ram, DeviceType::Invalid, 0, 0, 0);
    FakeMmio empty_mmio(empty);
    EXPECT_EQ(MmioTransport::try_create(empty_mmio, {}, why).error(), Errno::NODEV);
    EXPECT_FALSE(MmioTransport::has_device(empty_mmio));
    mmio.version = 3;
    mmio.magic = mmio::MAGIC;
    EXPECT_EQ(MmioTransport::try_create(mmio, {}, why).error(), Errno::PROTONOSUPPORT);
}

// --- 3.1.1 initialization sequence, over both transports ---

template <typename Setup> void check_negotiation(Setup make_transport)
{
    FakeRam ram;
    FakeDevice device(ram, DeviceType::Network, V1 | MAC | STATUS | CSUM, 8, 2);
    auto holder = make_transport(device);
    Transport& t = holder->transport();
    const char* why = nullptr;
    auto accepted = negotiate_features(t, 0, MAC | STATUS, why);
    ASSERT_FALSE(accepted.is_error()) << why;
    EXPECT_EQ(accepted.value(), V1 | MAC | STATUS) << "CSUM offered but not wanted";
    EXPECT_EQ(device.driver_features, V1 | MAC | STATUS);
    // reset, ACKNOWLEDGE, +DRIVER, +FEATURES_OK
    std::vector<uint8_t> expected { 0, 1, 3, 11 };
    EXPECT_EQ(device.status_writes, expected);
    set_driver_ok(t);
    EXPECT_EQ(device.status, 15);
}

struct MmioHolder {
    explicit MmioHolder(FakeDevice& d)
        : mmio(d)
    {
        const char* why;
        t = MmioTransport::try_create(mmio, {}, why).release_value();
    }
    Transport& transport() { return t; }
    FakeMmio mmio;
    MmioTransport t;
};

struct PciHolder {
    explicit PciHolder(FakeDevice& d)
        : pci(d)
    {
        const char* why = "";
        auto r = PciTransport::try_create(pci, pci.function(), pci, why);
        EXPECT_FALSE(r.is_error()) << why;
        t = r.release_value();
    }
    Transport& transport() { return t; }
    FakePci pci;
    PciTransport t;
};

TEST(VirtioNegotiation, StatusSequenceAndFeatureSubsetOverMmio)
{
    check_negotiation([](FakeDevice& d) { return std::make_unique<MmioHolder>(d); });
}

TEST(VirtioNegotiation, StatusSequenceAndFeatureSubsetOverPci)
{
    check_negotiation([](FakeDevice& d) { return std::make_unique<PciHolder>(d); });
}

TEST(VirtioNegotiation, LegacyOnlyDeviceIsFailed)
{
    FakeRam ram;
    FakeDevice device(ram, DeviceType::Network, MAC, 8, 2);
    MmioHolder h(device);
    const char* why = nullptr;
    EXPECT_EQ(negotiate_features(h.transport(), 0, MAC, why).error(), Errno::NODEV);
    EXPECT_NE(device.status & status::FAILED, 0);
    EXPECT_NE(std::string(why).find("VERSION_1"), std::string::npos);
}

TEST(VirtioNegotiation, MissingRequiredFeatureIsFailed)
{
    FakeRam ram;
    FakeDevice device(ram, DeviceType::Network, V1, 8, 2);
    MmioHolder h(device);
    const char* why = nullptr;
    EXPECT_EQ(negotiate_features(h.transport(), MAC, 0, why).error(), Errno::OPNOTSUPP);
    EXPECT_NE(device.status & status::FAILED, 0);
}

TEST(VirtioNegotiation, DeviceThatClearsFeaturesOkIsFailed)
{
    FakeRam ram;
    FakeDevice device(ram, DeviceType::Network, V1 | MAC, 8, 2);
    device.refuse_features = true;
    MmioHolder h(device);
    const char* why = nullptr;
    EXPECT_EQ(negotiate_features(h.transport(), 0, MAC, why).error(), Errno::INVAL);
    EXPECT_NE(device.status & status::FAILED, 0);
    EXPECT_EQ(device.status & status::DRIVER_OK, 0);
}

// --- queues (4.2.3.2, 4.1.5.1.3) ---

TEST(VirtioMmioTransport, QueueSetupGivesTheDeviceTheRingAddresses)
{
    FakeRam ram;
    FakeDevice device(ram, DeviceType::Network, V1, 8, 2, 1024);
    MmioHolder h(device);
    Virtqueue q;
    ASSERT_FALSE(setup_queue(h.transport(), q, 1, 64, ram.memory(), false).is_error());
    EXPECT_EQ(q.size(), 64);
    EXPECT_TRUE(device.queues[1].ready);
    EXPECT_EQ(device.queues[1].size, 64);
    EXPECT_EQ(device.queues[1].desc, q.descriptor_area());
    EXPECT_EQ(device.queues[1].driver, q.driver_area());
    EXPECT_EQ(device.queues[1].device, q.device_area());
    // Already enabled: BUSY, and the new rings are not leaked.
    Virtqueue again;
    size_t pages = ram.pages_in_use();
    EXPECT_EQ(setup_queue(h.transport(), again, 1, 64, ram.memory(), false).error(), Errno::BUSY);
    EXPECT_EQ(ram.pages_in_use(), pages);
    // Missing queue.
    EXPECT_EQ(setup_queue(h.transport(), again, 5, 64, ram.memory(), false).error(), Errno::NOENT);
    h.transport().notify(1);
    EXPECT_EQ(device.queues[1].notifications, 1);
    q.release(ram.memory());
}

TEST(VirtioMmioTransport, DeviceMaximumThatIsNotAPowerOfTwoIsRoundedDown)
{
    FakeRam ram;
    FakeDevice device(ram, DeviceType::Network, V1, 8, 1, 100);
    MmioHolder h(device);
    Virtqueue q;
    ASSERT_FALSE(setup_queue(h.transport(), q, 0, 256, ram.memory(), false).is_error());
    EXPECT_EQ(q.size(), 64);
    q.release(ram.memory());
}

TEST(VirtioPciTransport, QueueSetupAndNotificationAddress)
{
    FakeRam ram;
    FakeDevice device(ram, DeviceType::Network, V1, 8, 2, 256);
    PciHolder h(device);
    Virtqueue rx, tx;
    ASSERT_FALSE(setup_queue(h.transport(), rx, 0, 256, ram.memory(), false).is_error());
    ASSERT_FALSE(setup_queue(h.transport(), tx, 1, 256, ram.memory(), false).is_error());
    EXPECT_EQ(device.queues[1].desc, tx.descriptor_area());
    EXPECT_EQ(device.queues[1].device, tx.device_area());
    EXPECT_TRUE(device.queues[1].ready);
    h.transport().notify(1);
    ASSERT_EQ(h.pci.notifications.size(), 1u);
    // 4.1.4.4: cap.offset + queue_notify_off * notify_off_multiplier; value = queue index.
    EXPECT_EQ(h.pci.notifications[0].first, 1 * FakePci::NOTIFY_MULTIPLIER);
    EXPECT_EQ(h.pci.notifications[0].second, 1);
    EXPECT_EQ(setup_queue(h.transport(), rx, 2, 256, ram.memory(), false).error(), Errno::NOENT);
    rx.release(ram.memory());
    tx.release(ram.memory());
}

// --- interrupts and configuration space ---

TEST(VirtioMmioTransport, AcknowledgeInterruptReadsAndClears)
{
    FakeRam ram;
    FakeDevice device(ram, DeviceType::Network, V1, 8, 2);
    MmioHolder h(device);
    device.interrupt_status = 3;
    EXPECT_EQ(h.transport().acknowledge_interrupt(), 3u);
    EXPECT_EQ(device.interrupt_status, 0u);
    EXPECT_EQ(h.transport().acknowledge_interrupt(), 0u);
}

TEST(VirtioPciTransport, AcknowledgeInterruptReadsTheIsr)
{
    FakeRam ram;
    FakeDevice device(ram, DeviceType::Network, V1, 8, 2);
    PciHolder h(device);
    device.interrupt_status = 2;
    EXPECT_EQ(h.transport().acknowledge_interrupt(), 2u);
    EXPECT_EQ(device.interrupt_status, 0u);
}

TEST(VirtioMmioTransport, ConfigReadsRetryWhileTheGenerationMoves)
{
    FakeRam ram;
    FakeDevice device(ram, DeviceType::Block, V1, 16, 1);
    uint64_t capacity = 0x1122334455667788ULL;
    std::memcpy(device.config.data(), &capacity, 8);
    MmioHolder h(device);
    device.bump_generation_on_read = true;
    EXPECT_EQ(h.transport().config_read64(0), capacity);
    EXPECT_EQ(device.config_generation, 1u);
    uint8_t bytes[3];
    device.bump_generation_on_read = true;
    h.transport().config_read_bytes(0, bytes, 3);
    EXPECT_EQ(bytes[0], 0x88);
    EXPECT_EQ(bytes[2], 0x66);
}

TEST(VirtioPciTransport, ReadsDeviceConfigThroughTheDeviceStructure)
{
    FakeRam ram;
    FakeDevice device(ram, DeviceType::Network, V1, 8, 2);
    device.config = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x01, 0x00 };
    PciHolder h(device);
    EXPECT_EQ(h.transport().config_read8(3), 0x12);
    EXPECT_EQ(h.transport().config_read16(6), 1);
}

// --- virtio-pci discovery (4.1.2, 4.1.4) ---

TEST(VirtioPciTransport, DeviceTypeFromModernAndTransitionalIds)
{
    pci::Function f;
    f.vendor_id = 0x1af4;
    f.device_id = 0x1041;
    EXPECT_EQ(PciTransport::device_type_of(f), DeviceType::Network);
    f.device_id = 0x1042;
    EXPECT_EQ(PciTransport::device_type_of(f), DeviceType::Block);
    f.device_id = 0x1001; // transitional block device
    f.subsystem_id = 2;
    EXPECT_EQ(PciTransport::device_type_of(f), DeviceType::Block);
    f.device_id = 0x1100; // outside the virtio range
    EXPECT_EQ(PciTransport::device_type_of(f), DeviceType::Invalid);
    f.device_id = 0x1041;
    f.vendor_id = 0x8086;
    EXPECT_EQ(PciTransport::device_type_of(f), DeviceType::Invalid);
}

TEST(VirtioPciTransport, MapsTheFourStructuresAndEnablesBusMastering)
{
    FakeRam ram;
    FakeDevice device(ram, DeviceType::Block, V1, 16, 1);
    FakePci pci(device);
    const char* why = "";
    auto t = PciTransport::try_create(pci, pci.function(), pci, why);
    ASSERT_FALSE(t.is_error()) << why;
    ASSERT_EQ(pci.mapped.size(), 5u);
    EXPECT_EQ(pci.mapped[0].first, FakePci::BAR_ADDRESS); // common
    EXPECT_EQ(pci.mapped[1].first, FakePci::BAR_ADDRESS + 0x3000); // notify
    EXPECT_EQ(pci.mapped[2].first, FakePci::BAR_ADDRESS + 0x1000); // isr
    EXPECT_EQ(pci.mapped[3].first, FakePci::BAR_ADDRESS + 0x2000); // device
    EXPECT_EQ(pci.mapped[4].first, FakePci::MSIX_BAR_ADDRESS); // MSI-X table
    uint16_t command;
    std::memcpy(&command, pci.space + pci::COMMAND, 2);
    EXPECT_EQ(command & (pci::COMMAND_MEMORY_SPACE | pci::COMMAND_BUS_MASTER),
        pci::COMMAND_MEMORY_SPACE | pci::COMMAND_BUS_MASTER);
    EXPECT_EQ(t->location().bus, DeviceLocation::Bus::Pci);
    EXPECT_EQ(t->location().pci_device, 3);
    EXPECT_EQ(t->location().irq, 11);
}

TEST(VirtioPciTransport, UsesTheFirstCapabilityOfEachType)
{
    FakeRam ram;
    FakeDevice device(ram, DeviceType::Block, V1, 16, 1);
    FakePci pci(device);
    // A second common structure later in the list, pointing elsewhere, is ignored.
    pci.add_virtio_cap(0xb0, virtio_pci::CAP_COMMON_CFG, 4, 0x5000, 0x1000);
    const char* why = "";
    ASSERT_FALSE(PciTransport::try_create(pci, pci.function(), pci, why).is_error()) << why;
    for (auto& m : pci.mapped)
        EXPECT_NE(m.first, FakePci::BAR_ADDRESS + 0x5000);
}

TEST(VirtioPciTransport, MissingNotifyStructureIsRefused)
{
    FakeRam ram;
    FakeDevice device(ram, DeviceType::Block, V1, 16, 1);
    FakePci pci(device);
    pci.put8(0x4c + 3, 42); // the notify capability becomes an unknown type
    const char* why = "";
    EXPECT_EQ(PciTransport::try_create(pci, pci.function(), pci, why).error(), Errno::NXIO);
    EXPECT_NE(std::string(why).find("missing"), std::string::npos);
}

TEST(VirtioPciTransport, StructureInAnIoBarIsRefused)
{
    FakeRam ram;
    FakeDevice device(ram, DeviceType::Block, V1, 16, 1);
    FakePci pci(device);
    pci.put32(pci::BAR0, 0xc001); // BAR0: I/O
    pci.put8(0x84 + 4, 0); // common structure in BAR0
    const char* why = "";
    EXPECT_EQ(PciTransport::try_create(pci, pci.function(), pci, why).error(), Errno::NXIO);
}

TEST(VirtioPciTransport, ShortCommonStructureIsRefused)
{
    FakeRam ram;
    FakeDevice device(ram, DeviceType::Block, V1, 16, 1);
    FakePci pci(device);
    pci.put32(0x84 + 12, 20);
    const char* why = "";
    EXPECT_EQ(PciTransport::try_create(pci, pci.function(), pci, why).error(), Errno::NXIO);
}

TEST(VirtioPciTransport, UnmappableBarIsReported)
{
    FakeRam ram;
    FakeDevice device(ram, DeviceType::Block, V1, 16, 1);
    FakePci pci(device);
    pci.refuse_mapping = true;
    const char* why = "";
    EXPECT_EQ(PciTransport::try_create(pci, pci.function(), pci, why).error(), Errno::FAULT);
}

TEST(VirtioPciTransport, NotVirtioIsNoDevice)
{
    FakeRam ram;
    FakeDevice device(ram, DeviceType::Block, V1, 16, 1);
    FakePci pci(device);
    pci.put16(pci::VENDOR_ID, 0x8086);
    const char* why = "";
    EXPECT_EQ(PciTransport::try_create(pci, pci.function(), pci, why).error(), Errno::NODEV);
}

// --- MSI-X (4.1.5.1.2) ---

namespace {

constexpr pci::MsiMessage MESSAGES[] = {
    { 0xfee00000, 0x50 },
    { 0xfee00000, 0x51 },
    { 0xfee00000, 0x52 },
};

// Starts the device as a driver would: reset and features (config vector), then queues.
void start_with_queues(Transport& t, FakeRam& ram, Virtqueue* queues, uint16_t count)
{
    const char* why = "";
    ASSERT_FALSE(negotiate_features(t, 0, 0, why).is_error()) << why;
    for (uint16_t q = 0; q < count; ++q)
        ASSERT_FALSE(setup_queue(t, queues[q], q, 64, ram.memory(), false).is_error());
}

uint32_t table_entry(FakePci& pci, uint16_t entry, size_t dword) { return pci.msix_table[entry * 4 + dword]; }

} // namespace

TEST(VirtioPciMsix, MapsTheTableNamedByTheCapability)
{
    FakeRam ram;
    FakeDevice device(ram, DeviceType::Network, V1, 8, 2);
    PciHolder h(device);
    EXPECT_EQ(h.t.msix_unavailable(), nullptr);
    EXPECT_EQ(h.t.msix_table_size(), FakePci::MSIX_TABLE_SIZE);
    bool mapped = false;
    for (auto& [address, length] : h.pci.mapped)
        mapped = mapped || (address == FakePci::MSIX_BAR_ADDRESS && length == FakePci::MSIX_TABLE_SIZE * 16u);
    EXPECT_TRUE(mapped);
    EXPECT_EQ(h.t.msix_vectors(), 0) << "nothing enabled until the kernel asks";
    EXPECT_EQ(h.pci.msix_control() & pci::MSIX_CONTROL_ENABLE, 0);
}

TEST(VirtioPciMsix, WantsConfigPlusOneVectorPerQueueWithinTheTable)
{
    FakeRam ram;
    FakeDevice two_queues(ram, DeviceType::Network, V1, 8, 2);
    PciHolder h2(two_queues);
    EXPECT_EQ(h2.t.msix_vectors_wanted(), 3);
    FakeDevice eight_queues(ram, DeviceType::Block, V1, 8, 8);
    PciHolder h8(eight_queues);
    EXPECT_EQ(h8.t.msix_vectors_wanted(), FakePci::MSIX_TABLE_SIZE) << "no more than the table";
}

TEST(VirtioPciMsix, QueuesGetTheirOwnEntryOrShare)
{
    EXPECT_EQ(PciTransport::msix_entry_for_queue(0, 3), 1);
    EXPECT_EQ(PciTransport::msix_entry_for_queue(1, 3), 2);
    EXPECT_EQ(PciTransport::msix_entry_for_queue(2, 3), 1) << "wraps over the queue entries";
    EXPECT_EQ(PciTransport::msix_entry_for_queue(1, 2), 1);
    EXPECT_EQ(PciTransport::msix_entry_for_queue(0, 1), 0) << "one vector: shared with config";
    EXPECT_EQ(PciTransport::msix_entry_for_queue(7, 1), 0);
}

TEST(VirtioPciMsix, EnableProgramsMaskedEntriesAndTurnsIntxOff)
{
    FakeRam ram;
    FakeDevice device(ram, DeviceType::Network, V1, 8, 2);
    PciHolder h(device);
    ASSERT_FALSE(h.t.enable_msix(MESSAGES).is_error());
    EXPECT_EQ(h.t.msix_vectors(), 3);
    for (uint16_t entry = 0; entry < 3; ++entry) {
        EXPECT_EQ(table_entry(h.pci, entry, 0), 0xfee00000u);
        EXPECT_EQ(table_entry(h.pci, entry, 1), 0u);
        EXPECT_EQ(table_entry(h.pci, entry, 2), 0x50u + entry);
        EXPECT_EQ(table_entry(h.pci, entry, 3), pci::MSIX_VECTOR_MASKED) << "masked until the handler is in";
    }
    EXPECT_EQ(table_entry(h.pci, 3, 2), 0u) << "the unused entry is left alone";
    EXPECT_EQ(h.pci.msix_control(), pci::MSIX_CONTROL_ENABLE | pci::MSIX_CONTROL_FUNCTION_MASK | 3);
    EXPECT_NE(h.pci.command() & pci::COMMAND_INTX_DISABLE, 0);

    h.t.unmask_msix();
    for (uint16_t entry = 0; entry < 3; ++entry)
        EXPECT_EQ(table_entry(h.pci, entry, 3), 0u);
    EXPECT_EQ(table_entry(h.pci, 3, 3), pci::MSIX_VECTOR_MASKED);
    EXPECT_EQ(h.pci.msix_control(), pci::MSIX_CONTROL_ENABLE | 3);

    pci::MsiMessage too_many[FakePci::MSIX_TABLE_SIZE + 1] = {};
    EXPECT_EQ(h.t.enable_msix(too_many).error(), Errno::INVAL);
    EXPECT_EQ(h.t.enable_msix(std::span<const pci::MsiMessage>()).error(), Errno::INVAL);
}

TEST(VirtioPciMsix, DriverStartMapsConfigAndEachQueueAfterTheReset)
{
    FakeRam ram;
    FakeDevice device(ram, DeviceType::Network, V1, 8, 2);
    PciHolder h(device);
    ASSERT_FALSE(h.t.enable_msix(MESSAGES).is_error());
    Virtqueue queues[2];
    start_with_queues(h.t, ram, queues, 2);
    // The fake unmaps everything at reset (4.1.5.1.2.1), so these were written after it.
    EXPECT_EQ(device.config_msix_vector, 0);
    EXPECT_EQ(device.queues[0].msix_vector, 1);
    EXPECT_EQ(device.queues[1].msix_vector, 2);
    EXPECT_FALSE(h.t.msix_refused());
    EXPECT_EQ(h.t.msix_events(0), virtio_pci::ISR_CONFIG);
    EXPECT_EQ(h.t.msix_events(1), virtio_pci::ISR_QUEUE);
    EXPECT_EQ(h.t.msix_events(2), virtio_pci::ISR_QUEUE);
    EXPECT_EQ(h.t.msix_events(3), 0u);
    for (auto& q : queues)
        q.release(ram.memory());
}

TEST(VirtioPciMsix, FewerVectorsThanEventsShareThem)
{
    FakeRam ram;
    FakeDevice device(ram, DeviceType::Network, V1, 8, 2);
    PciHolder h(device);
    ASSERT_FALSE(h.t.enable_msix(std::span(MESSAGES, 1)).is_error());
    Virtqueue queues[2];
    start_with_queues(h.t, ram, queues, 2);
    EXPECT_EQ(device.config_msix_vector, 0);
    EXPECT_EQ(device.queues[0].msix_vector, 0);
    EXPECT_EQ(device.queues[1].msix_vector, 0);
    EXPECT_EQ(h.t.msix_events(0), virtio_pci::ISR_CONFIG | virtio_pci::ISR_QUEUE);
    for (auto& q : queues)
        q.release(ram.memory());
}

TEST(VirtioPciMsix, AnEntryTheDeviceCannotMapFallsBackToTheSharedOne)
{
    FakeRam ram;
    FakeDevice device(ram, DeviceType::Network, V1, 8, 2);
    PciHolder h(device);
    h.pci.msix_unmappable_from = 2; // entry 2 reads back NO_VECTOR
    ASSERT_FALSE(h.t.enable_msix(MESSAGES).is_error());
    Virtqueue queues[2];
    start_with_queues(h.t, ram, queues, 2);
    EXPECT_EQ(device.queues[0].msix_vector, 1);
    EXPECT_EQ(device.queues[1].msix_vector, 0) << "retried on entry 0";
    EXPECT_FALSE(h.t.msix_refused());
    EXPECT_EQ(h.t.msix_events(0), virtio_pci::ISR_CONFIG | virtio_pci::ISR_QUEUE);
    EXPECT_EQ(h.t.msix_events(1), virtio_pci::ISR_QUEUE);
    EXPECT_EQ(h.t.msix_events(2), 0u);
    for (auto& q : queues)
        q.release(ram.memory());
}

TEST(VirtioPciMsix, ADeviceThatMapsNothingIsReportedAndGoesBackToIntx)
{
    FakeRam ram;
    FakeDevice device(ram, DeviceType::Network, V1, 8, 2);
    PciHolder h(device);
    h.pci.msix_unmappable_from = 0;
    ASSERT_FALSE(h.t.enable_msix(MESSAGES).is_error());
    Virtqueue queues[2];
    start_with_queues(h.t, ram, queues, 2);
    EXPECT_TRUE(h.t.msix_refused());
    EXPECT_EQ(device.config_msix_vector, virtio_pci::NO_VECTOR);
    EXPECT_EQ(h.t.msix_events(0), 0u);

    h.t.disable_msix();
    EXPECT_EQ(h.t.msix_vectors(), 0);
    EXPECT_EQ(h.pci.msix_control() & (pci::MSIX_CONTROL_ENABLE | pci::MSIX_CONTROL_FUNCTION_MASK), 0);
    EXPECT_EQ(h.pci.command() & pci::COMMAND_INTX_DISABLE, 0);
    for (uint16_t entry = 0; entry < 3; ++entry)
        EXPECT_EQ(table_entry(h.pci, entry, 3), pci::MSIX_VECTOR_MASKED);
    // INTx again: the ISR says what happened.
    device.interrupt_status = virtio_pci::ISR_QUEUE;
    EXPECT_EQ(h.t.acknowledge_interrupt(), virtio_pci::ISR_QUEUE);
    for (auto& q : queues)
        q.release(ram.memory());
}

TEST(VirtioPciMsix, WithoutUsableMsixTheDeviceStaysOnIntx)
{
    FakeRam ram;
    FakeDevice device(ram, DeviceType::Network, V1, 8, 2);
    const char* why = "";
    {
        FakePci pci(device);
        pci.put8(FakePci::MSIX_CAP, pci::CAP_ID_MSI);
        auto t = PciTransport::try_create(pci, pci.function(), pci, why);
        ASSERT_FALSE(t.is_error()) << why;
        EXPECT_STREQ(t->msix_unavailable(), "no MSI-X capability");
        EXPECT_EQ(t->msix_vectors_wanted(), 0);
        EXPECT_EQ(t->enable_msix(MESSAGES).error(), Errno::INVAL);
        Virtqueue queues[2];
        start_with_queues(t.value(), ram, queues, 2);
        EXPECT_EQ(device.config_msix_vector, virtio_pci::NO_VECTOR) << "nothing mapped on INTx";
        EXPECT_EQ(device.queues[0].msix_vector, virtio_pci::NO_VECTOR);
        for (auto& q : queues)
            q.release(ram.memory());
    }
    {
        FakePci pci(device);
        pci.put32(pci::BAR0 + 4, 0); // table BAR unassigned
        auto t = PciTransport::try_create(pci, pci.function(), pci, why);
        ASSERT_FALSE(t.is_error()) << why;
        EXPECT_STREQ(t->msix_unavailable(), "MSI-X table in an I/O or unassigned BAR");
    }
}
