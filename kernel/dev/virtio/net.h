#pragma once

// virtio-net (virtio v1.2, 5.1): one receive and one transmit queue, Ethernet frames
// in and out. The network stack (kernel/net/) sees frames without the virtio header.
//
// Receive: a fixed pool of 2 KiB buffers, all posted at start-up; each buffer is handed
// to the stack and reposted at once (5.1.6.3). Transmit: frames are copied into a fixed
// pool of 2 KiB buffers; finished ones are reclaimed on the next transmit or poll.
// Negotiated: VERSION_1, MAC, STATUS, EVENT_IDX (when offered). Not negotiated:
// checksum and segmentation offloads, MRG_RXBUF, MTU, the control queue, multiqueue.
//
// Context: transmit(), poll_receive(), reclaim_transmitted(), link_up() run in the
// kernel's main context (one at a time; not reentrant except that the receive handler
// may call transmit()). on_interrupt() runs in interrupt context and only reads and
// acknowledges the interrupt status and records it.
//
// Portable: the device is reached through a Transport, memory through DmaMemory.

#include <stddef.h>
#include <stdint.h>

#include <array>
#include <atomic>
#include <span>
#include <type_traits>

#include "dev/virtio/dma.h"
#include "dev/virtio/transport.h"
#include "dev/virtio/virtqueue.h"
#include "lib/result.h"

namespace kiln::virtio {

using MacAddress = std::array<uint8_t, 6>;

class VirtioNet {
public:
    static constexpr size_t BUFFER_SIZE = 2048;
    static constexpr size_t HEADER_SIZE = sizeof(net::Header);
    // 1500-byte MTU + Ethernet header + one 802.1Q tag; no FCS.
    static constexpr size_t MAX_FRAME = 1500 + 14 + 4;
    static constexpr uint16_t MAX_RX_BUFFERS = 256;
    static constexpr uint16_t MAX_TX_BUFFERS = 128;
    static_assert(BUFFER_SIZE >= net::MIN_RX_BUFFER && BUFFER_SIZE >= HEADER_SIZE + MAX_FRAME);

    static constexpr uint64_t REQUIRED_FEATURES = feature(feature_bit::VERSION_1);
    static constexpr uint64_t WANTED_FEATURES
        = feature(net::feature_bit::MAC) | feature(net::feature_bit::STATUS) | feature(feature_bit::EVENT_IDX);

    // The frame is valid only during the call.
    using FrameHandler = void (*)(void* context, std::span<const uint8_t> frame);

    struct Stats {
        uint64_t rx_frames = 0;
        uint64_t rx_errors = 0; // used buffers shorter than the header or too long
        uint64_t tx_frames = 0;
        uint64_t tx_ring_full = 0; // transmit() returned AGAIN
        uint64_t interrupts = 0;
    };

    // Initializes the device (3.1.1), sets up both queues, posts the receive buffers and
    // sets DRIVER_OK. `fallback_mac` is used when the device has no MAC of its own
    // (5.1.4.2: then a random locally administered address). On error the device is
    // left FAILED, nothing is leaked and `why` says what went wrong.
    static Result<VirtioNet*> try_create(
        Transport& transport, const DmaMemory& memory, const MacAddress& fallback_mac, const char*& why);
    // Resets the device and frees everything.
    static void destroy(VirtioNet* net);

    const MacAddress& mac() const { return m_mac; }
    bool has_device_mac() const { return (m_features & feature(net::feature_bit::MAC)) != 0; }
    // 5.1.4.2: the status field when negotiated, else the link is assumed up.
    bool link_up();
    uint64_t features() const { return m_features; }
    Transport& transport() { return *m_transport; }
    const Stats& stats() const { return m_stats; }

    // Queues one Ethernet frame (destination MAC first, no FCS). INVAL for an empty
    // frame, MSGSIZE for one over MAX_FRAME, AGAIN when every transmit buffer is in
    // flight (retry after the device completes some). The frame is copied.
    Result<void> transmit(std::span<const uint8_t> frame);

    // Hands up to `budget` received frames to `handler`, reposting each buffer, and
    // reclaims finished transmit buffers. Returns the number of frames handed up.
    size_t poll_receive(FrameHandler handler, void* context, size_t budget = SIZE_MAX);
    template <typename F> size_t poll_receive(F& handler, size_t budget = SIZE_MAX)
    {
        return poll_receive(
            [](void* c, std::span<const uint8_t> frame) { (*static_cast<F*>(c))(frame); }, &handler, budget);
    }
    size_t reclaim_transmitted();
    // Whether frames handed to transmit() are still waiting for the device (reclaims
    // the finished ones first).
    bool transmit_pending();

    // Interrupt context: acknowledges the device's interrupt and records its bits
    // (transport.h: 1 used buffers, 2 configuration change). No allocation, no queue
    // access: the main context calls poll_receive() afterwards.
    void on_interrupt();
    // Interrupt context, for a message-signalled interrupt (MSI-X): records `bits` (the
    // events its vector stands for) without touching the device; there is nothing to
    // acknowledge there (4.1.5.1.2: the ISR is unused).
    void record_interrupt(uint32_t bits);
    // Main context: the bits recorded since the last call (and clears them).
    uint32_t take_interrupt_status() { return m_interrupt_status.exchange(0); }

    // For make<>() only; use try_create().
    VirtioNet() = default;

private:
    Result<void> start(const MacAddress& fallback_mac, const char*& why);
    void release_memory();
    uint8_t* rx_buffer(size_t i) { return m_rx_buffers.pointer + i * BUFFER_SIZE; }
    uint8_t* tx_buffer(size_t i) { return m_tx_buffers.pointer + i * BUFFER_SIZE; }
    Result<void> post_rx(uint16_t buffer);

    Transport* m_transport = nullptr;
    DmaMemory m_memory;
    uint64_t m_features = 0;
    MacAddress m_mac {};
    Virtqueue m_rx;
    Virtqueue m_tx;
    DmaRegion m_rx_buffers;
    DmaRegion m_tx_buffers;
    uint16_t m_rx_count = 0;
    uint16_t m_tx_count = 0;
    uint16_t m_tx_free[MAX_TX_BUFFERS] = {}; // stack of free transmit buffer indices
    uint16_t m_tx_free_count = 0;
    Stats m_stats;
    std::atomic<uint32_t> m_interrupt_status { 0 };
};

} // namespace kiln::virtio
