#pragma once

// virtio-blk (virtio v1.2, 5.2): reads, writes and flushes on one request queue, many
// in flight. Each request is a descriptor chain: a 16-byte header (device-readable),
// the caller's data buffers, and a one-byte status (device-writable) (5.2.6). Data
// buffers are guest-physical and belong to the caller until its completion runs.
// Sectors are always 512 bytes on the wire, whatever the block size says.
//
// Negotiated when offered: VERSION_1 (required), RO, BLK_SIZE, FLUSH, SEG_MAX,
// SIZE_MAX, EVENT_IDX. Without FLUSH the device is write-through (5.2.5), so a flush
// completes at once (at the next poll_completions()).
//
// Context: submit() and poll_completions() in the main context (completions run from
// poll_completions(), never from submit(): a request that fails at submit() never
// calls its completion); on_interrupt() in interrupt context only acknowledges and
// records.

#include <stddef.h>
#include <stdint.h>

#include <atomic>
#include <span>

#include "dev/virtio/dma.h"
#include "dev/virtio/transport.h"
#include "dev/virtio/virtqueue.h"
#include "lib/result.h"

namespace kiln::virtio {

enum class BlockOperation : uint8_t { Read, Write, Flush };

// Whether submit() shows the request to the device at once, or leaves it for kick():
// a batch made visible together costs the device one notification (a VM exit) instead
// of one per request, and the device sees all of it in one pass.
enum class Kick : uint8_t { Now, Later };

// `tag` is what submit() returned; `result` is empty on success, IO for
// VIRTIO_BLK_S_IOERR (or any unknown status), OPNOTSUPP for VIRTIO_BLK_S_UNSUPP.
using BlockCompletion = void (*)(void* context, uint16_t tag, Result<void> result);

struct BlockRequest {
    BlockOperation operation = BlockOperation::Read;
    uint64_t sector = 0; // 512-byte units
    // Guest-physical data buffers; their total length is a multiple of 512. Empty for
    // a flush.
    std::span<const Segment> buffers;
    BlockCompletion completion = nullptr;
    void* context = nullptr;
};

class VirtioBlk {
public:
    static constexpr uint16_t MAX_REQUESTS = 64;
    static constexpr uint16_t QUEUE_SIZE_LIMIT = 256;
    static constexpr size_t MAX_SEGMENTS = 64; // per request, before the device's seg_max

    static constexpr uint64_t REQUIRED_FEATURES = feature(feature_bit::VERSION_1);
    static constexpr uint64_t WANTED_FEATURES = feature(blk::feature_bit::RO) | feature(blk::feature_bit::BLK_SIZE)
        | feature(blk::feature_bit::FLUSH) | feature(blk::feature_bit::SEG_MAX) | feature(blk::feature_bit::SIZE_MAX_)
        | feature(feature_bit::EVENT_IDX);

    struct Stats {
        uint64_t completed = 0;
        uint64_t errors = 0; // completions with an error status
        uint64_t interrupts = 0;
        uint64_t max_in_flight = 0; // the most requests that were on the device at once
    };

    // Initializes the device (3.1.1), reads its configuration, sets up the queue and
    // sets DRIVER_OK. On error the device is left FAILED and `why` says why.
    static Result<VirtioBlk*> try_create(Transport& transport, const DmaMemory& memory, const char*& why);
    // Resets the device and frees everything; in-flight requests never complete.
    static void destroy(VirtioBlk* blk);

    uint64_t capacity_sectors() const { return m_capacity; } // 512-byte sectors
    uint64_t size_bytes() const { return m_capacity * blk::SECTOR_SIZE; }
    uint32_t block_size() const { return m_block_size; } // VIRTIO_BLK_F_BLK_SIZE or 512
    bool read_only() const { return m_read_only; }
    bool has_flush() const { return (m_features & feature(blk::feature_bit::FLUSH)) != 0; }
    size_t max_segments() const { return m_max_segments; }
    uint32_t size_max() const { return m_size_max; } // bytes per segment, 0 = no limit
    uint64_t features() const { return m_features; }
    size_t in_flight() const { return m_in_flight; }
    Transport& transport() { return *m_transport; }
    const Stats& stats() const { return m_stats; }

    // Queues a request; returns its tag. Errors (and the completion is never called):
    // INVAL  no completion, a read/write without data or with data not a multiple of
    //        512 bytes, too many segments, a segment over the device's size_max, or a
    //        range past the end of the disk; data on a flush
    // ROFS   a write to a read-only device
    // AGAIN  MAX_REQUESTS in flight or the ring is full: poll and retry
    Result<uint16_t> submit(const BlockRequest& request, Kick kick = Kick::Now);
    // Makes requests submitted with Kick::Later visible and notifies the device if it
    // asked to be (2.7.13).
    void kick();

    // Runs the completions of up to `budget` finished requests; returns how many ran.
    size_t poll_completions(size_t budget = SIZE_MAX);

    // Interrupt context: acknowledges and records the interrupt (see VirtioNet).
    void on_interrupt();
    // Interrupt context: records an MSI-X vector's events (see VirtioNet).
    void record_interrupt(uint32_t bits);
    uint32_t take_interrupt_status() { return m_interrupt_status.exchange(0); }

    // For make<>() only; use try_create().
    VirtioBlk() = default;

private:
    // One slot per request in flight: its header and status byte in DMA memory.
    struct SlotDma {
        blk::RequestHeader header;
        uint8_t status;
        uint8_t padding[15];
    };
    static_assert(sizeof(SlotDma) == 32);

    struct Slot {
        BlockCompletion completion = nullptr;
        void* context = nullptr;
        bool in_use = false;
        bool completes_at_once = false; // a flush on a write-through device
    };

    Result<void> start(const char*& why);
    void release_memory();
    SlotDma& slot_dma(uint16_t tag) { return reinterpret_cast<SlotDma*>(m_slots_dma.pointer)[tag]; }
    uint64_t slot_physical(uint16_t tag) const { return m_slots_dma.physical + tag * sizeof(SlotDma); }
    void finish(uint16_t tag, Result<void> result);
    void note_in_flight();

    Transport* m_transport = nullptr;
    DmaMemory m_memory;
    uint64_t m_features = 0;
    uint64_t m_capacity = 0;
    uint32_t m_block_size = 512;
    uint32_t m_size_max = 0; // 0 = no limit
    size_t m_max_segments = MAX_SEGMENTS;
    bool m_read_only = false;
    Virtqueue m_queue;
    DmaRegion m_slots_dma;
    Slot m_slots[MAX_REQUESTS];
    size_t m_in_flight = 0;
    size_t m_at_once = 0; // slots with completes_at_once
    Stats m_stats;
    std::atomic<uint32_t> m_interrupt_status { 0 };
};

} // namespace kiln::virtio
