#pragma once

// A split virtqueue (virtio v1.2, 2.7): the driver side of one queue. It owns the ring
// memory and the free-descriptor list; it does not touch device registers. After
// add() the caller calls publish(), and notifies the device through its transport
// when publish() says the device wants it.
//
// Driver-private state (free list, chain lengths, tokens) is kept outside the shared
// ring, so nothing the device writes can corrupt it; the device's used entries are
// validated before they are trusted.
//
// Not synchronized: one context (the kernel's main context) adds and pops. Interrupt
// handlers never touch a Virtqueue.
//
// Not implemented: indirect descriptors (2.7.5.3), packed rings (2.8).

#include <stddef.h>
#include <stdint.h>

#include <optional>
#include <span>

#include "dev/virtio/dma.h"
#include "dev/virtio/spec.h"
#include "lib/result.h"

namespace kiln::virtio {

// One guest-physical buffer in a descriptor chain.
struct Segment {
    uint64_t physical = 0;
    uint32_t length = 0;
};

// A chain the device has finished with: the token given to add() and the number of
// bytes the device wrote into the chain's device-writable segments.
struct UsedBuffer {
    uint64_t token = 0;
    uint32_t length = 0;
};

class Virtqueue {
public:
    // Larger device maxima are clamped to this; it bounds the driver-private arrays.
    static constexpr uint16_t MAX_SIZE = 256;

    Virtqueue() = default;
    Virtqueue(const Virtqueue&) = delete;
    Virtqueue& operator=(const Virtqueue&) = delete;

    // Allocates and zeroes the rings for `size` entries (a power of two, 1..MAX_SIZE).
    // `event_idx`: VIRTIO_F_EVENT_IDX was negotiated. INVAL for a bad size, NOMEM.
    Result<void> initialize(uint16_t index, uint16_t size, const DmaMemory& memory, bool event_idx);
    // Frees the rings. Only after the device stopped using them (reset, or never set up).
    void release(const DmaMemory& memory);

    uint16_t index() const { return m_index; }
    uint16_t size() const { return m_size; }
    uint16_t free_descriptors() const { return m_free_count; }
    size_t in_flight() const { return m_in_flight; }

    // Guest-physical addresses of the three parts, for the transport (4.2.3.2, 4.1.5.1.3).
    uint64_t descriptor_area() const { return m_ring.physical; }
    uint64_t driver_area() const { return m_ring.physical + m_avail_offset; }
    uint64_t device_area() const { return m_ring.physical + m_used_offset; }

    // Queues one chain: the device-readable segments, then the device-writable ones
    // (2.7.4.2 requires that order). Returns the head descriptor. AGAIN when fewer
    // descriptors are free than the chain needs (retry after pop_used), INVAL for an
    // empty chain, a zero-length segment or one longer than the queue.
    Result<uint16_t> add(std::span<const Segment> readable, std::span<const Segment> writable, uint64_t token);

    // Makes the chains added since the last call visible to the device (2.7.13.3) and
    // says whether the device asked to be notified (2.7.13.4, 2.7.10).
    bool publish();

    // The next chain the device used, or nullopt. Its descriptors are free again.
    std::optional<UsedBuffer> pop_used();
    bool has_used() const;

    // Used-buffer notification suppression (2.7.7): a hint, the device may still
    // interrupt. enable_interrupts() returns true when buffers were used meanwhile, so
    // the caller polls again instead of waiting for an interrupt that already passed.
    void disable_interrupts();
    bool enable_interrupts();

    // A device that returns a descriptor it was not given, or more entries than the
    // queue holds, breaks the queue: pop_used() returns nothing from then on.
    bool broken() const { return m_broken; }

private:
    void free_chain(uint16_t head);

    uint16_t m_index = 0;
    uint16_t m_size = 0;
    bool m_event_idx = false;
    bool m_interrupts_enabled = true;
    bool m_broken = false;
    DmaRegion m_ring;
    size_t m_avail_offset = 0;
    size_t m_used_offset = 0;

    VirtqDesc* m_desc = nullptr;
    volatile VirtqAvailHeader* m_avail = nullptr;
    volatile uint16_t* m_avail_ring = nullptr;
    volatile uint16_t* m_used_event = nullptr; // in the available ring, after ring[size]
    volatile VirtqUsedHeader* m_used = nullptr;
    volatile VirtqUsedElem* m_used_ring = nullptr;
    volatile uint16_t* m_avail_event = nullptr; // in the used ring, after ring[size]

    uint16_t m_free_head = 0;
    uint16_t m_free_count = 0;
    uint16_t m_avail_idx = 0; // next avail idx (not yet published)
    uint16_t m_published_idx = 0; // avail idx the device has seen
    uint16_t m_last_used = 0; // next used idx to consume
    size_t m_in_flight = 0;

    uint16_t m_next[MAX_SIZE] = {}; // free list and chain links, driver-private
    uint16_t m_chain_length[MAX_SIZE] = {}; // per head; 0 = not in flight
    uint64_t m_token[MAX_SIZE] = {};
};

} // namespace kiln::virtio
