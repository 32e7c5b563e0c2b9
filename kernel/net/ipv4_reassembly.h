#pragma once

// IPv4 fragment reassembly (RFC 791 section 3.2, "An Example Reassembly Procedure",
// simplified; RFC 815 hole tracking by a sorted range list).
//
// Limits make it safe against floods: at most REASSEMBLY_SLOTS datagrams at a time
// (a new datagram evicts the oldest), at most REASSEMBLY_MAX_FRAGMENTS distinct pieces
// each, 65535 bytes total, and each datagram is dropped `timeout` after its first
// fragment (Linux: 30 s). Overlapping fragments drop the whole datagram (the stance
// RFC 5722 takes for IPv6, against overlap attacks); an exact duplicate is ignored.
// A slot's buffer (64 KiB) is allocated on its first fragment and freed when the
// datagram completes or expires.

#include <stddef.h>
#include <stdint.h>

#include <span>

#include "net/config.h"
#include "net/time.h"
#include "net/wire/ipv4.h"

namespace kiln::net {

class Reassembler {
public:
    static constexpr size_t MAX_DATAGRAM = 65535;

    Reassembler() = default;
    ~Reassembler();
    Reassembler(const Reassembler&) = delete;
    Reassembler& operator=(const Reassembler&) = delete;

    // Adds a fragment; returns the whole payload when this one completed its datagram.
    // The span stays valid until the next call on this object.
    std::span<const uint8_t> add(Instant now, const Ipv4Header& header, std::span<const uint8_t> payload,
        Duration timeout);
    void expire(Instant now);
    Instant poll_at() const;
    size_t active() const;

private:
    struct Range {
        uint32_t start;
        uint32_t end;
    };
    struct Slot {
        bool used = false;
        Ipv4Address source;
        Ipv4Address destination;
        uint16_t identification = 0;
        uint8_t protocol = 0;
        uint32_t total = 0; // known once the last fragment (MF = 0) arrived; 0 before
        Instant deadline;
        Instant started;
        uint8_t* data = nullptr;
        Range ranges[REASSEMBLY_MAX_FRAGMENTS];
        size_t range_count = 0;
    };
    void release(Slot& slot);
    Slot* find_or_create(Instant now, const Ipv4Header& header, Duration timeout);

    Slot m_slots[REASSEMBLY_SLOTS];
    Slot* m_completed = nullptr; // freed on the next call
};

} // namespace kiln::net
