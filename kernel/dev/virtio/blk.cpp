#include "dev/virtio/blk.h"

#include "lib/kalloc.h"

namespace kiln::virtio {

namespace {

// Written before submission: a device that completes a request without writing the
// status reports neither OK nor a known error.
constexpr uint8_t STATUS_NOT_WRITTEN = 0xff;

} // namespace

Result<VirtioBlk*> VirtioBlk::try_create(Transport& transport, const DmaMemory& memory, const char*& why)
{
    why = "";
    if (transport.device_type() != DeviceType::Block) {
        why = "not a block device";
        return Errno::NODEV;
    }
    VirtioBlk* blk = make<VirtioBlk>();
    if (!blk) {
        why = "out of memory";
        return Errno::NOMEM;
    }
    blk->m_transport = &transport;
    blk->m_memory = memory;
    if (auto r = blk->start(why); r.is_error()) {
        set_failed(transport);
        blk->release_memory();
        kiln::destroy(blk);
        return r.error();
    }
    return blk;
}

void VirtioBlk::destroy(VirtioBlk* blk)
{
    if (!blk)
        return;
    (void)blk->m_transport->reset();
    blk->release_memory();
    kiln::destroy(blk);
}

Result<void> VirtioBlk::start(const char*& why)
{
    Transport& t = *m_transport;
    TRY(m_features, negotiate_features(t, REQUIRED_FEATURES, WANTED_FEATURES, why));

    // 5.2.4 Device configuration layout.
    m_capacity = t.config_read64(offsetof(blk::Config, capacity));
    m_read_only = (m_features & feature(blk::feature_bit::RO)) != 0;
    if (m_features & feature(blk::feature_bit::BLK_SIZE)) {
        uint32_t size = t.config_read32(offsetof(blk::Config, blk_size));
        // 5.2.4: a power of two of at least 512; anything else is ignored.
        if (size >= 512 && (size & (size - 1)) == 0)
            m_block_size = size;
    }
    if (m_features & feature(blk::feature_bit::SIZE_MAX_))
        m_size_max = t.config_read32(offsetof(blk::Config, size_max));
    if (m_features & feature(blk::feature_bit::SEG_MAX)) {
        uint32_t seg_max = t.config_read32(offsetof(blk::Config, seg_max));
        if (seg_max != 0 && seg_max < m_max_segments)
            m_max_segments = seg_max;
    }

    bool event_idx = (m_features & feature(feature_bit::EVENT_IDX)) != 0;
    if (auto r = setup_queue(t, m_queue, blk::REQUESTQ, QUEUE_SIZE_LIMIT, m_memory, event_idx); r.is_error()) {
        why = "cannot set up the request queue";
        return r.error();
    }
    // A request needs a header and a status descriptor besides its data.
    if (m_queue.size() < 3) {
        why = "request queue too small";
        return Errno::NOSPC;
    }
    if (m_max_segments > static_cast<size_t>(m_queue.size() - 2))
        m_max_segments = m_queue.size() - 2;

    auto slots = dma_allocate(m_memory, MAX_REQUESTS * sizeof(SlotDma));
    if (slots.is_error()) {
        why = "no memory for request headers";
        return Errno::NOMEM;
    }
    m_slots_dma = slots.value();

    set_driver_ok(t);
    if ((t.status() & status::DEVICE_NEEDS_RESET) != 0) {
        why = "device needs reset right after start";
        return Errno::IO;
    }
    return {};
}

void VirtioBlk::release_memory()
{
    m_queue.release(m_memory);
    dma_release(m_memory, m_slots_dma);
}

Result<uint16_t> VirtioBlk::submit(const BlockRequest& request, Kick kick)
{
    if (!request.completion)
        return Errno::INVAL;
    uint64_t bytes = 0;
    for (const Segment& s : request.buffers) {
        if (s.length == 0 || (m_size_max != 0 && s.length > m_size_max))
            return Errno::INVAL;
        bytes += s.length;
    }
    uint32_t type = blk::T_IN;
    switch (request.operation) {
    case BlockOperation::Read:
    case BlockOperation::Write: {
        if (request.buffers.empty() || request.buffers.size() > m_max_segments || bytes % blk::SECTOR_SIZE != 0)
            return Errno::INVAL;
        uint64_t sectors = bytes / blk::SECTOR_SIZE;
        // 5.2.6.1: never past the capacity.
        if (request.sector > m_capacity || sectors > m_capacity - request.sector)
            return Errno::INVAL;
        if (request.operation == BlockOperation::Write) {
            if (m_read_only)
                return Errno::ROFS; // 5.2.6.1: no writes to a VIRTIO_BLK_F_RO device
            type = blk::T_OUT;
        }
        break;
    }
    case BlockOperation::Flush:
        if (!request.buffers.empty())
            return Errno::INVAL;
        type = blk::T_FLUSH;
        break;
    }

    uint16_t tag = 0;
    while (tag < MAX_REQUESTS && m_slots[tag].in_use)
        ++tag;
    if (tag == MAX_REQUESTS)
        return Errno::AGAIN;
    Slot& slot = m_slots[tag];

    if (request.operation == BlockOperation::Flush && !has_flush()) {
        slot = Slot { request.completion, request.context, true, true };
        note_in_flight();
        ++m_at_once;
        return tag;
    }

    SlotDma& dma = slot_dma(tag);
    dma.header.type = type;
    dma.header.reserved = 0;
    // 5.2.6: the sector is unused (and 0) for requests other than reads and writes.
    dma.header.sector = request.operation == BlockOperation::Flush ? 0 : request.sector;
    dma.status = STATUS_NOT_WRITTEN;

    Segment header { slot_physical(tag), sizeof(blk::RequestHeader) };
    Segment status { slot_physical(tag) + offsetof(SlotDma, status), 1 };
    // Chain: header (readable), data (readable for writes, writable for reads), status.
    Segment readable[MAX_SEGMENTS + 1];
    Segment writable[MAX_SEGMENTS + 1];
    size_t readable_count = 0, writable_count = 0;
    readable[readable_count++] = header;
    for (const Segment& s : request.buffers) {
        if (request.operation == BlockOperation::Write)
            readable[readable_count++] = s;
        else
            writable[writable_count++] = s;
    }
    writable[writable_count++] = status;
    auto head = m_queue.add(std::span(readable, readable_count), std::span(writable, writable_count), tag);
    if (head.is_error())
        return head.error(); // AGAIN: the ring is full
    slot = Slot { request.completion, request.context, true, false };
    note_in_flight();
    if (kick == Kick::Now)
        this->kick();
    return tag;
}

void VirtioBlk::kick()
{
    if (m_queue.publish())
        m_transport->notify(blk::REQUESTQ);
}

void VirtioBlk::note_in_flight()
{
    ++m_in_flight;
    if (m_in_flight > m_stats.max_in_flight)
        m_stats.max_in_flight = m_in_flight;
}

void VirtioBlk::finish(uint16_t tag, Result<void> result)
{
    Slot slot = m_slots[tag];
    // Free the slot first: the completion may submit the next request.
    m_slots[tag] = Slot {};
    --m_in_flight;
    ++m_stats.completed;
    if (result.is_error())
        ++m_stats.errors;
    slot.completion(slot.context, tag, result);
}

size_t VirtioBlk::poll_completions(size_t budget)
{
    size_t done = 0;
    for (uint16_t tag = 0; m_at_once > 0 && tag < MAX_REQUESTS && done < budget; ++tag) {
        if (m_slots[tag].in_use && m_slots[tag].completes_at_once) {
            --m_at_once;
            finish(tag, {});
            ++done;
        }
    }
    while (done < budget) {
        auto used = m_queue.pop_used();
        if (!used)
            break;
        auto tag = static_cast<uint16_t>(used->token);
        if (tag >= MAX_REQUESTS || !m_slots[tag].in_use)
            continue;
        // pop_used() ordered this read after the used entry (2.7.14).
        uint8_t status = *reinterpret_cast<volatile uint8_t*>(&slot_dma(tag).status);
        Result<void> result;
        if (status == blk::S_UNSUPP)
            result = Errno::OPNOTSUPP;
        else if (status != blk::S_OK)
            result = Errno::IO;
        finish(tag, result);
        ++done;
    }
    return done;
}

void VirtioBlk::on_interrupt() { record_interrupt(m_transport->acknowledge_interrupt()); }

void VirtioBlk::record_interrupt(uint32_t bits)
{
    if (bits) {
        m_interrupt_status.fetch_or(bits, std::memory_order_relaxed);
        ++m_stats.interrupts;
    }
}

} // namespace kiln::virtio
