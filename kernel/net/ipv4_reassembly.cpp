#include "net/ipv4_reassembly.h"

#include <string.h>

#include "lib/kalloc.h"

namespace kiln::net {

Reassembler::~Reassembler()
{
    for (Slot& slot : m_slots)
        release(slot);
}

void Reassembler::release(Slot& slot)
{
    kfree(slot.data);
    slot.data = nullptr;
    slot.used = false;
    slot.range_count = 0;
    slot.total = 0;
}

Reassembler::Slot* Reassembler::find_or_create(Instant now, const Ipv4Header& h, Duration timeout)
{
    Slot* free_slot = nullptr;
    Slot* oldest = nullptr;
    for (Slot& slot : m_slots) {
        if (slot.used && slot.source == h.source && slot.destination == h.destination
            && slot.identification == h.identification && slot.protocol == h.protocol)
            return &slot;
        if (!slot.used && !free_slot)
            free_slot = &slot;
        if (slot.used && (!oldest || slot.started < oldest->started))
            oldest = &slot;
    }
    Slot* slot = free_slot;
    if (!slot) {
        release(*oldest);
        slot = oldest;
    }
    slot->data = static_cast<uint8_t*>(kalloc(MAX_DATAGRAM));
    if (!slot->data)
        return nullptr;
    slot->used = true;
    slot->source = h.source;
    slot->destination = h.destination;
    slot->identification = h.identification;
    slot->protocol = h.protocol;
    slot->started = now;
    slot->deadline = now + timeout;
    return slot;
}

std::span<const uint8_t> Reassembler::add(Instant now, const Ipv4Header& h, std::span<const uint8_t> payload,
    Duration timeout)
{
    if (m_completed) {
        release(*m_completed);
        m_completed = nullptr;
    }
    expire(now);
    uint32_t start = h.fragment_offset;
    uint32_t end = start + static_cast<uint32_t>(payload.size());
    // RFC 791: every fragment but the last carries a multiple of 8 bytes.
    if (end > MAX_DATAGRAM || (h.more_fragments && (payload.size() % 8 != 0 || payload.empty())))
        return {};
    Slot* slot = find_or_create(now, h, timeout);
    if (!slot)
        return {};
    if (!h.more_fragments) {
        if (slot->total && slot->total != end) {
            release(*slot); // two different "last" fragments
            return {};
        }
        slot->total = end;
    }
    if (slot->total && end > slot->total) {
        release(*slot);
        return {};
    }
    // Insert [start, end) into the sorted, disjoint range list.
    size_t i = 0;
    while (i < slot->range_count && slot->ranges[i].end <= start)
        ++i;
    if (i < slot->range_count && slot->ranges[i].start < end) {
        bool duplicate = slot->ranges[i].start == start && slot->ranges[i].end == end;
        if (!duplicate)
            release(*slot);
        return {};
    }
    if (slot->range_count == REASSEMBLY_MAX_FRAGMENTS) {
        release(*slot);
        return {};
    }
    memmove(&slot->ranges[i + 1], &slot->ranges[i], (slot->range_count - i) * sizeof(Range));
    slot->ranges[i] = { start, end };
    ++slot->range_count;
    if (!payload.empty())
        memcpy(slot->data + start, payload.data(), payload.size());

    if (!slot->total)
        return {};
    uint32_t covered = 0;
    for (size_t k = 0; k < slot->range_count; ++k) {
        if (slot->ranges[k].start != covered)
            return {};
        covered = slot->ranges[k].end;
    }
    if (covered != slot->total)
        return {};
    m_completed = slot;
    return { slot->data, slot->total };
}

void Reassembler::expire(Instant now)
{
    for (Slot& slot : m_slots)
        if (slot.used && &slot != m_completed && slot.deadline <= now)
            release(slot);
}

Instant Reassembler::poll_at() const
{
    Instant at = Instant::never();
    for (const Slot& slot : m_slots)
        if (slot.used && &slot != m_completed)
            at = earliest(at, slot.deadline);
    return at;
}

size_t Reassembler::active() const
{
    size_t n = 0;
    for (const Slot& slot : m_slots)
        n += slot.used && &slot != m_completed;
    return n;
}

} // namespace kiln::net
