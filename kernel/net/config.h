#pragma once

// Tunables of the network stack (run-time, in StackConfig) and its compile-time table
// sizes. Defaults follow Linux where Linux has a sysctl for the same thing.

#include <stddef.h>
#include <stdint.h>

#include "net/time.h"

namespace kiln::net {

// Compile-time limits (see README "Limits").
constexpr size_t MAX_INTERFACES = 4;
constexpr size_t ARP_CACHE_SIZE = 64;
// Frames waiting for resolution, all next hops. A server's first burst goes out before
// the gateway is resolved (64 connections: 64 SYN-ACKs); Linux queues ~100 (unres_qlen).
constexpr size_t ARP_PENDING_MAX = 128;
constexpr size_t REASSEMBLY_SLOTS = 4; // datagrams being reassembled at once
constexpr size_t REASSEMBLY_MAX_FRAGMENTS = 64; // per datagram
constexpr size_t LOOPBACK_QUEUE_MAX = 256; // packets
constexpr size_t TCP_OUT_OF_ORDER_RANGES = 8; // holes remembered per connection
constexpr size_t TCP_HASH_BUCKETS = 256;
constexpr uint16_t EPHEMERAL_PORT_FIRST = 32768; // Linux ip_local_port_range
constexpr uint16_t EPHEMERAL_PORT_LAST = 60999;
constexpr uint16_t LOOPBACK_MTU = 65535;
constexpr uint16_t ETHERNET_DEFAULT_MTU = 1500;

// A source of random bytes (the kernel's ChaCha20 CSPRNG). Initial sequence numbers,
// ephemeral ports, IP identifiers and DHCP transaction ids come from it; a predictable
// source is a security bug (RFC 6528).
struct RandomSource {
    void* context = nullptr;
    void (*fill)(void* context, uint8_t* out, size_t length) = nullptr;
};

struct TcpConfig {
    // RFC 6298 2.1 and 2.4: initial 1 s, minimum 1 s by the RFC; Linux uses 200 ms.
    Duration rto_initial = Duration::seconds(1);
    Duration rto_min = Duration::milliseconds(200);
    Duration rto_max = Duration::seconds(120);
    uint32_t syn_retries = 6; // tcp_syn_retries
    uint32_t synack_retries = 5; // tcp_synack_retries
    uint32_t max_retransmits = 15; // tcp_retries2: then ETIMEDOUT
    Duration msl = Duration::seconds(30); // TIME_WAIT lasts 2*MSL (Linux: 60 s)
    Duration fin_wait2_timeout = Duration::seconds(60); // orphaned FIN_WAIT_2 (tcp_fin_timeout)
    Duration delayed_ack = Duration::milliseconds(40); // RFC 5681 4.2 allows up to 500 ms
    Duration keepalive_idle = Duration::seconds(7200);
    Duration keepalive_interval = Duration::seconds(75);
    uint32_t keepalive_probes = 9;
    Duration persist_max = Duration::seconds(60);
    size_t send_buffer = 64 * 1024; // per connection, allocated on first use
    size_t receive_buffer = 64 * 1024;
    size_t min_buffer = 2048;
    size_t max_buffer = 4 * 1024 * 1024;
    uint32_t max_syn_backlog = 128; // half-open connections per listener
    uint32_t max_accept_backlog = 4096; // somaxconn
    size_t max_sockets = 4096; // all TCP sockets including TIME_WAIT
};

struct StackConfig {
    RandomSource random;
    TcpConfig tcp;
    Duration arp_reachable = Duration::seconds(60);
    Duration arp_retry = Duration::seconds(1);
    uint32_t arp_max_requests = 3;
    Duration reassembly_timeout = Duration::seconds(30); // Linux ipfrag_time
    size_t udp_receive_buffer = 212992; // bytes queued per UDP socket (rmem_default)
    size_t max_udp_sockets = 1024;
    // Upper bound for all socket buffers together; allocations beyond fail gracefully
    // (segments are dropped, sends see EAGAIN/ENOBUFS).
    size_t max_buffer_memory = 64 * 1024 * 1024;
};

} // namespace kiln::net
