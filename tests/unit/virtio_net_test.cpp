#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <vector>

#include "dev/virtio/mmio_transport.h"
#include "dev/virtio/net.h"
#include "dev/virtio/pci_transport.h"
#include "virtio_fake_device.h"

using namespace kiln;
using namespace kiln::virtio;
using namespace kiln::virtio::testing;

namespace {

constexpr uint64_t V1 = feature(feature_bit::VERSION_1);
constexpr uint64_t MAC = feature(net::feature_bit::MAC);
constexpr uint64_t STATUS = feature(net::feature_bit::STATUS);
constexpr uint64_t EVENT_IDX = feature(feature_bit::EVENT_IDX);
// What QEMU's virtio-net offers that we must not accept.
constexpr uint64_t QEMU_EXTRAS = feature(net::feature_bit::CSUM) | feature(net::feature_bit::GUEST_CSUM)
    | feature(net::feature_bit::MRG_RXBUF) | feature(net::feature_bit::CTRL_VQ) | feature(net::feature_bit::HOST_TSO4)
    | feature(feature_bit::INDIRECT_DESC);

const MacAddress FALLBACK { 0x02, 0, 0, 0, 0, 0x42 };

// The device side of a virtio-net: receives frames into posted buffers, collects
// transmitted ones.
class NetBackend {
public:
    explicit NetBackend(FakeDevice& device)
        : m_device(device)
    {
    }
    // Delivers a frame into the next posted receive buffer (header + frame).
    bool deliver(const std::vector<uint8_t>& frame)
    {
        auto chain = m_device.pop_available(net::RECEIVEQ);
        if (!chain)
            return false;
        EXPECT_TRUE(chain->readable.empty());
        std::vector<uint8_t> bytes(sizeof(net::Header) + frame.size(), 0);
        bytes[offsetof(net::Header, num_buffers)] = 1;
        std::copy(frame.begin(), frame.end(), bytes.begin() + sizeof(net::Header));
        uint32_t written = m_device.fill(*chain, bytes);
        m_device.push_used(net::RECEIVEQ, chain->head, written);
        return true;
    }
    // Consumes every transmitted chain; returns the frames without their header.
    std::vector<std::vector<uint8_t>> transmitted(bool complete = true)
    {
        std::vector<std::vector<uint8_t>> frames;
        while (auto chain = m_device.pop_available(net::TRANSMITQ)) {
            auto bytes = m_device.gather(*chain);
            EXPECT_GE(bytes.size(), sizeof(net::Header));
            std::vector<uint8_t> header(bytes.begin(), bytes.begin() + sizeof(net::Header));
            EXPECT_EQ(header, std::vector<uint8_t>(sizeof(net::Header), 0)) << "no offloads: zero header";
            frames.emplace_back(bytes.begin() + sizeof(net::Header), bytes.end());
            if (complete)
                m_device.push_used(net::TRANSMITQ, chain->head, 0);
            else
                m_held.push_back(chain->head);
        }
        return frames;
    }
    void complete_held()
    {
        for (uint16_t head : m_held)
            m_device.push_used(net::TRANSMITQ, head, 0);
        m_held.clear();
    }

private:
    FakeDevice& m_device;
    std::vector<uint16_t> m_held;
};

class VirtioNetTest : public ::testing::Test {
protected:
    explicit VirtioNetTest(uint64_t features = V1 | MAC | STATUS | QEMU_EXTRAS, uint16_t queue_max = 256)
        : device(ram, DeviceType::Network, features, sizeof(net::Config), 3, queue_max)
        , mmio(device)
    {
        const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
        std::memcpy(device.config.data(), mac, 6);
        device.config[6] = net::S_LINK_UP;
        const char* why = "";
        transport = MmioTransport::try_create(mmio, {}, why).release_value();
    }
    void start()
    {
        const char* why = "";
        auto r = VirtioNet::try_create(transport, ram.memory(), FALLBACK, why);
        ASSERT_FALSE(r.is_error()) << why;
        nic = r.value();
    }
    void TearDown() override
    {
        VirtioNet::destroy(nic);
        EXPECT_EQ(ram.pages_in_use(), 0u);
        EXPECT_FALSE(device.failed);
    }
    std::vector<std::vector<uint8_t>> receive_all()
    {
        std::vector<std::vector<uint8_t>> frames;
        auto handler = [&](std::span<const uint8_t> f) { frames.emplace_back(f.begin(), f.end()); };
        nic->poll_receive(handler);
        return frames;
    }

    FakeRam ram;
    FakeDevice device;
    FakeMmio mmio;
    MmioTransport transport;
    NetBackend backend { device };
    VirtioNet* nic = nullptr;
};

std::vector<uint8_t> frame_of(size_t size, uint8_t seed)
{
    std::vector<uint8_t> f(size);
    for (size_t i = 0; i < size; ++i)
        f[i] = static_cast<uint8_t>(seed + i);
    return f;
}

} // namespace

TEST_F(VirtioNetTest, StartsWithMacLinkAndAllReceiveBuffersPosted)
{
    start();
    EXPECT_EQ(nic->mac(), (MacAddress { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 }));
    EXPECT_TRUE(nic->has_device_mac());
    EXPECT_TRUE(nic->link_up());
    EXPECT_EQ(device.driver_features, V1 | MAC | STATUS) << "no offloads, no MRG_RXBUF, no control queue";
    EXPECT_EQ(device.status, status::ACKNOWLEDGE | status::DRIVER | status::FEATURES_OK | status::DRIVER_OK);
    EXPECT_EQ(device.available_count(net::RECEIVEQ), 256u);
    EXPECT_EQ(device.queues[net::RECEIVEQ].notifications, 1);
    auto chain = device.pop_available(net::RECEIVEQ);
    ASSERT_EQ(chain->writable.size(), 1u);
    EXPECT_GE(chain->writable[0].length, net::MIN_RX_BUFFER);
}

TEST_F(VirtioNetTest, LinkStatusFollowsTheConfigField)
{
    start();
    device.config[6] = 0;
    EXPECT_FALSE(nic->link_up());
    device.config[6] = net::S_LINK_UP;
    EXPECT_TRUE(nic->link_up());
}

TEST_F(VirtioNetTest, TransmitPrependsAZeroHeader)
{
    start();
    auto frame = frame_of(60, 1);
    ASSERT_FALSE(nic->transmit(frame).is_error());
    EXPECT_EQ(device.queues[net::TRANSMITQ].notifications, 1);
    auto sent = backend.transmitted();
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0], frame);
    EXPECT_EQ(nic->stats().tx_frames, 1u);
}

TEST_F(VirtioNetTest, TransmitRejectsEmptyAndOversizedFrames)
{
    start();
    EXPECT_EQ(nic->transmit({}).error(), Errno::INVAL);
    auto big = frame_of(VirtioNet::MAX_FRAME + 1, 0);
    EXPECT_EQ(nic->transmit(big).error(), Errno::MSGSIZE);
    auto max = frame_of(VirtioNet::MAX_FRAME, 0);
    EXPECT_FALSE(nic->transmit(max).is_error());
    EXPECT_EQ(backend.transmitted()[0], max);
}

TEST_F(VirtioNetTest, FullTransmitRingSaysAgainUntilTheDeviceCompletes)
{
    start();
    auto frame = frame_of(100, 7);
    size_t sent = 0;
    while (!nic->transmit(frame).is_error())
        ++sent;
    EXPECT_EQ(sent, 128u) << "MAX_TX_BUFFERS";
    EXPECT_EQ(nic->transmit(frame).error(), Errno::AGAIN);
    EXPECT_GE(nic->stats().tx_ring_full, 1u);
    EXPECT_EQ(backend.transmitted(false).size(), 128u);
    EXPECT_EQ(nic->transmit(frame).error(), Errno::AGAIN) << "taken but not yet completed";
    backend.complete_held();
    EXPECT_FALSE(nic->transmit(frame).is_error()) << "reclaimed on demand";
}

// What the kernel waits on before powering off: frames the device has not finished.
TEST_F(VirtioNetTest, TransmitPendingUntilTheDeviceCompletesEveryFrame)
{
    start();
    EXPECT_FALSE(nic->transmit_pending()) << "nothing sent yet";
    ASSERT_FALSE(nic->transmit(frame_of(60, 1)).is_error());
    ASSERT_FALSE(nic->transmit(frame_of(1514, 2)).is_error());
    EXPECT_TRUE(nic->transmit_pending()) << "queued, not taken";
    EXPECT_EQ(backend.transmitted(false).size(), 2u);
    EXPECT_TRUE(nic->transmit_pending()) << "taken, not completed";
    backend.complete_held();
    EXPECT_FALSE(nic->transmit_pending()) << "completed";
}

TEST_F(VirtioNetTest, ReceivedFramesAreHandedUpWithoutHeaderAndBuffersReposted)
{
    start();
    auto a = frame_of(60, 10), b = frame_of(1514, 20);
    ASSERT_TRUE(backend.deliver(a));
    ASSERT_TRUE(backend.deliver(b));
    int notifications = device.queues[net::RECEIVEQ].notifications;
    auto frames = receive_all();
    ASSERT_EQ(frames.size(), 2u);
    EXPECT_EQ(frames[0], a);
    EXPECT_EQ(frames[1], b);
    EXPECT_EQ(device.available_count(net::RECEIVEQ), 256u) << "both buffers reposted";
    EXPECT_EQ(device.queues[net::RECEIVEQ].notifications, notifications + 1) << "one notification per batch";
    EXPECT_EQ(nic->stats().rx_frames, 2u);
    EXPECT_TRUE(receive_all().empty());
}

TEST_F(VirtioNetTest, ReceiveKeepsWorkingAcrossManyRingCycles)
{
    start();
    for (int i = 0; i < 2000; ++i) {
        auto f = frame_of(64 + i % 1400, static_cast<uint8_t>(i));
        ASSERT_TRUE(backend.deliver(f)) << i;
        auto frames = receive_all();
        ASSERT_EQ(frames.size(), 1u);
        ASSERT_EQ(frames[0], f);
    }
}

TEST_F(VirtioNetTest, BudgetLimitsFramesPerPoll)
{
    start();
    for (int i = 0; i < 5; ++i)
        backend.deliver(frame_of(60, static_cast<uint8_t>(i)));
    int count = 0;
    auto handler = [&](std::span<const uint8_t>) { ++count; };
    EXPECT_EQ(nic->poll_receive(handler, 2), 2u);
    EXPECT_EQ(nic->poll_receive(handler, 100), 3u);
    EXPECT_EQ(count, 5);
}

TEST_F(VirtioNetTest, UsedLengthShorterThanTheHeaderIsDroppedAndTheBufferReposted)
{
    start();
    auto chain = device.pop_available(net::RECEIVEQ);
    device.push_used(net::RECEIVEQ, chain->head, 4);
    EXPECT_TRUE(receive_all().empty());
    EXPECT_EQ(nic->stats().rx_errors, 1u);
    EXPECT_EQ(device.available_count(net::RECEIVEQ), 256u);
}

TEST_F(VirtioNetTest, HandlerMayTransmit)
{
    start();
    backend.deliver(frame_of(60, 1));
    auto echo = [&](std::span<const uint8_t> f) { EXPECT_FALSE(nic->transmit(f).is_error()); };
    EXPECT_EQ(nic->poll_receive(echo), 1u);
    auto sent = backend.transmitted();
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0], frame_of(60, 1));
}

TEST_F(VirtioNetTest, InterruptAcknowledgesAndRecords)
{
    start();
    backend.deliver(frame_of(60, 1));
    EXPECT_NE(device.interrupt_status & mmio::INTERRUPT_USED_BUFFER, 0u);
    nic->on_interrupt();
    EXPECT_EQ(device.interrupt_status, 0u);
    EXPECT_EQ(nic->take_interrupt_status(), mmio::INTERRUPT_USED_BUFFER);
    EXPECT_EQ(nic->take_interrupt_status(), 0u);
    EXPECT_EQ(nic->stats().interrupts, 1u);
    EXPECT_EQ(receive_all().size(), 1u);
}

class VirtioNetWithoutMacTest : public VirtioNetTest {
protected:
    VirtioNetWithoutMacTest()
        : VirtioNetTest(V1 | EVENT_IDX, 64)
    {
    }
};

TEST_F(VirtioNetWithoutMacTest, UsesTheFallbackMacAndAssumesLinkUp)
{
    start();
    EXPECT_EQ(nic->mac(), FALLBACK);
    EXPECT_FALSE(nic->has_device_mac());
    EXPECT_TRUE(nic->link_up());
}

TEST_F(VirtioNetWithoutMacTest, EventIdxPathMovesFramesBothWays)
{
    start();
    EXPECT_TRUE(device.event_idx());
    EXPECT_EQ(device.available_count(net::RECEIVEQ), 64u);
    for (int i = 0; i < 300; ++i) {
        auto f = frame_of(80, static_cast<uint8_t>(i));
        ASSERT_TRUE(backend.deliver(f));
        auto frames = receive_all();
        ASSERT_EQ(frames.size(), 1u);
        ASSERT_FALSE(nic->transmit(frames[0]).is_error());
        auto sent = backend.transmitted();
        ASSERT_EQ(sent.size(), 1u);
        ASSERT_EQ(sent[0], f);
    }
}

TEST(VirtioNetFailures, RefusedFeaturesLeaveTheDeviceFailedAndLeakNothing)
{
    FakeRam ram;
    FakeDevice device(ram, DeviceType::Network, V1 | MAC, sizeof(net::Config), 2);
    device.refuse_features = true;
    FakeMmio mmio(device);
    const char* why = "";
    auto transport = MmioTransport::try_create(mmio, {}, why).release_value();
    auto r = VirtioNet::try_create(transport, ram.memory(), FALLBACK, why);
    EXPECT_EQ(r.error(), Errno::INVAL);
    EXPECT_NE(device.status & status::FAILED, 0);
    EXPECT_EQ(ram.pages_in_use(), 0u);
}

TEST(VirtioNetFailures, MissingTransmitQueue)
{
    FakeRam ram;
    FakeDevice device(ram, DeviceType::Network, V1 | MAC, sizeof(net::Config), 1);
    FakeMmio mmio(device);
    const char* why = "";
    auto transport = MmioTransport::try_create(mmio, {}, why).release_value();
    auto r = VirtioNet::try_create(transport, ram.memory(), FALLBACK, why);
    EXPECT_EQ(r.error(), Errno::NOENT);
    EXPECT_NE(std::string(why).find("transmit"), std::string::npos);
    EXPECT_NE(device.status & status::FAILED, 0);
    EXPECT_EQ(ram.pages_in_use(), 0u);
}

TEST(VirtioNetFailures, OutOfMemoryAtEveryStepLeaksNothing)
{
    for (int allowed = 0; allowed < 4; ++allowed) {
        FakeRam ram;
        FakeDevice device(ram, DeviceType::Network, V1 | MAC, sizeof(net::Config), 2);
        FakeMmio mmio(device);
        const char* why = "";
        auto transport = MmioTransport::try_create(mmio, {}, why).release_value();
        ram.fail_after(allowed);
        auto r = VirtioNet::try_create(transport, ram.memory(), FALLBACK, why);
        EXPECT_EQ(r.error(), Errno::NOMEM) << allowed;
        EXPECT_EQ(ram.pages_in_use(), 0u) << allowed;
    }
}

TEST(VirtioNetFailures, WrongDeviceType)
{
    FakeRam ram;
    FakeDevice device(ram, DeviceType::Block, V1, 16, 1);
    FakeMmio mmio(device);
    const char* why = "";
    auto transport = MmioTransport::try_create(mmio, {}, why).release_value();
    EXPECT_EQ(VirtioNet::try_create(transport, ram.memory(), FALLBACK, why).error(), Errno::NODEV);
    EXPECT_TRUE(device.status_writes.empty()) << "not touched";
}

TEST(VirtioNetPci, FramesFlowOverTheModernPciTransport)
{
    FakeRam ram;
    FakeDevice device(ram, DeviceType::Network, V1 | MAC | STATUS | EVENT_IDX, sizeof(net::Config), 2);
    device.config[0] = 0x52;
    device.config[6] = net::S_LINK_UP;
    FakePci pci(device);
    const char* why = "";
    auto transport = PciTransport::try_create(pci, pci.function(), pci, why).release_value();
    auto nic = VirtioNet::try_create(transport, ram.memory(), FALLBACK, why);
    ASSERT_FALSE(nic.is_error()) << why;
    EXPECT_EQ(nic.value()->mac()[0], 0x52);
    NetBackend backend(device);
    auto f = frame_of(200, 3);
    ASSERT_TRUE(backend.deliver(f));
    std::vector<uint8_t> got;
    auto handler = [&](std::span<const uint8_t> frame) { got.assign(frame.begin(), frame.end()); };
    EXPECT_EQ(nic.value()->poll_receive(handler), 1u);
    EXPECT_EQ(got, f);
    ASSERT_FALSE(nic.value()->transmit(f).is_error());
    EXPECT_EQ(backend.transmitted()[0], f);
    VirtioNet::destroy(nic.value());
    EXPECT_EQ(ram.pages_in_use(), 0u);
}
