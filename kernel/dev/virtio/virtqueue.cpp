#include "dev/virtio/virtqueue.h"

#include "dev/virtio/barrier.h"

namespace kiln::virtio {

namespace {

constexpr size_t align_up(size_t value, size_t alignment) { return (value + alignment - 1) & ~(alignment - 1); }

} // namespace

Result<void> Virtqueue::initialize(uint16_t index, uint16_t size, const DmaMemory& memory, bool event_idx)
{
    if (size == 0 || size > MAX_SIZE || (size & (size - 1)) != 0 || !m_ring.empty())
        return Errno::INVAL;
    // 2.7 "Virtqueue Part Alignment and Size": the table at 16, the available ring at
    // 2 and the used ring at 4 bytes; the region itself is page aligned.
    size_t avail_offset = align_up(descriptor_table_bytes(size), AVAIL_RING_ALIGN);
    size_t used_offset = align_up(avail_offset + avail_ring_bytes(size), USED_RING_ALIGN);
    TRY(DmaRegion ring, dma_allocate(memory, used_offset + used_ring_bytes(size)));
    static_assert(mm::PAGE_SIZE % DESCRIPTOR_TABLE_ALIGN == 0);

    m_ring = ring;
    m_index = index;
    m_size = size;
    m_event_idx = event_idx;
    m_avail_offset = avail_offset;
    m_used_offset = used_offset;
    m_desc = reinterpret_cast<VirtqDesc*>(ring.pointer);
    m_avail = reinterpret_cast<volatile VirtqAvailHeader*>(ring.pointer + avail_offset);
    m_avail_ring = reinterpret_cast<volatile uint16_t*>(ring.pointer + avail_offset + sizeof(VirtqAvailHeader));
    m_used_event = m_avail_ring + size;
    m_used = reinterpret_cast<volatile VirtqUsedHeader*>(ring.pointer + used_offset);
    m_used_ring = reinterpret_cast<volatile VirtqUsedElem*>(ring.pointer + used_offset + sizeof(VirtqUsedHeader));
    m_avail_event = reinterpret_cast<volatile uint16_t*>(m_used_ring + size);

    for (uint16_t i = 0; i < size; ++i) {
        m_next[i] = static_cast<uint16_t>(i + 1 < size ? i + 1 : 0);
        m_chain_length[i] = 0;
        m_token[i] = 0;
    }
    m_free_head = 0;
    m_free_count = size;
    m_avail_idx = m_published_idx = m_last_used = 0;
    m_in_flight = 0;
    m_interrupts_enabled = true;
    m_broken = false;
    return {};
}

void Virtqueue::release(const DmaMemory& memory)
{
    dma_release(memory, m_ring);
    m_size = 0;
    m_free_count = 0;
    m_desc = nullptr;
}

Result<uint16_t> Virtqueue::add(std::span<const Segment> readable, std::span<const Segment> writable, uint64_t token)
{
    size_t count = readable.size() + writable.size();
    if (count == 0 || count > m_size)
        return Errno::INVAL;
    for (const Segment& s : readable)
        if (s.length == 0)
            return Errno::INVAL;
    for (const Segment& s : writable)
        if (s.length == 0)
            return Errno::INVAL;
    if (count > m_free_count)
        return Errno::AGAIN;

    // 2.7.13.1 Placing Buffers Into The Descriptor Table.
    uint16_t head = m_free_head;
    uint16_t current = head;
    for (size_t i = 0; i < count; ++i) {
        bool device_writes = i >= readable.size();
        const Segment& s = device_writes ? writable[i - readable.size()] : readable[i];
        bool last = i + 1 == count;
        VirtqDesc& d = m_desc[current];
        d.addr = s.physical;
        d.len = s.length;
        d.flags = static_cast<uint16_t>((device_writes ? VIRTQ_DESC_F_WRITE : 0) | (last ? 0 : VIRTQ_DESC_F_NEXT));
        d.next = last ? 0 : m_next[current];
        if (!last)
            current = m_next[current];
    }
    m_free_head = m_next[current];
    m_free_count = static_cast<uint16_t>(m_free_count - count);
    m_chain_length[head] = static_cast<uint16_t>(count);
    m_token[head] = token;
    ++m_in_flight;

    // 2.7.13.2 Updating The Available Ring: the entry now, the idx in publish().
    m_avail_ring[m_avail_idx & (m_size - 1)] = head;
    ++m_avail_idx;
    return head;
}

bool Virtqueue::publish()
{
    if (m_avail_idx == m_published_idx)
        return false;
    // 2.7.13.3: descriptors and ring entries before the idx that exposes them.
    virtio_wmb();
    m_avail->idx = m_avail_idx;
    // 2.7.13.4: the idx store before reading the suppression fields; otherwise the
    // device could go to sleep between our store and our read and never be woken.
    virtio_mb();
    uint16_t old = m_published_idx;
    m_published_idx = m_avail_idx;
    if (m_event_idx)
        return need_event(*m_avail_event, m_avail_idx, old);
    return (m_used->flags & VIRTQ_USED_F_NO_NOTIFY) == 0;
}

bool Virtqueue::has_used() const { return !m_broken && m_size != 0 && m_used->idx != m_last_used; }

std::optional<UsedBuffer> Virtqueue::pop_used()
{
    if (m_broken || m_size == 0)
        return std::nullopt;
    uint16_t used_idx = m_used->idx;
    if (used_idx == m_last_used) {
        if (!m_event_idx || !m_interrupts_enabled)
            return std::nullopt;
        // The ring looks empty, but used_event, stored by the last pop, may still sit in
        // this CPU's store buffer (x86 lets the load above pass it). The device may then
        // have added an entry, read the stale used_event and decided not to interrupt,
        // after our load missed that entry: we would sleep with a buffer waiting and no
        // interrupt ever coming, since used_event is now behind used idx for good.
        // Make the store visible, then look again (2.7.10, as enable_interrupts()).
        virtio_mb();
        used_idx = m_used->idx;
        if (used_idx == m_last_used)
            return std::nullopt;
    }
    if (static_cast<uint16_t>(used_idx - m_last_used) > m_size) {
        m_broken = true;
        return std::nullopt;
    }
    // 2.7.14: read the entry only after the idx that covers it.
    virtio_rmb();
    volatile const VirtqUsedElem& elem = m_used_ring[m_last_used & (m_size - 1)];
    uint32_t id = elem.id;
    uint32_t length = elem.len;
    ++m_last_used;
    if (m_event_idx && m_interrupts_enabled)
        *m_used_event = m_last_used; // 2.7.10: interrupt us for the next one
    if (id >= m_size || m_chain_length[id] == 0) {
        m_broken = true;
        return std::nullopt;
    }
    UsedBuffer used { m_token[id], length };
    free_chain(static_cast<uint16_t>(id));
    return used;
}

void Virtqueue::free_chain(uint16_t head)
{
    uint16_t count = m_chain_length[head];
    uint16_t last = head;
    for (uint16_t i = 1; i < count; ++i)
        last = m_next[last];
    m_next[last] = m_free_head;
    m_free_head = head;
    m_free_count = static_cast<uint16_t>(m_free_count + count);
    m_chain_length[head] = 0;
    m_token[head] = 0;
    --m_in_flight;
}

void Virtqueue::disable_interrupts()
{
    m_interrupts_enabled = false;
    if (!m_event_idx)
        m_avail->flags = VIRTQ_AVAIL_F_NO_INTERRUPT;
    // With EVENT_IDX, used_event simply stops advancing: at most one more interrupt.
}

bool Virtqueue::enable_interrupts()
{
    m_interrupts_enabled = true;
    if (m_event_idx)
        *m_used_event = m_last_used;
    else
        m_avail->flags = 0;
    // The store above before re-reading used idx (2.7.7.1 and 2.7.10, same race as
    // in publish()).
    virtio_mb();
    return has_used();
}

} // namespace kiln::virtio
