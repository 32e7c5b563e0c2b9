#include "dev/virtio/net.h"

#include "lib/kalloc.h"

namespace kiln::virtio {

Result<VirtioNet*> VirtioNet::try_create(
    Transport& transport, const DmaMemory& memory, const MacAddress& fallback_mac, const char*& why)
{
    why = "";
    if (transport.device_type() != DeviceType::Network) {
        why = "not a network device";
        return Errno::NODEV;
    }
    VirtioNet* net = make<VirtioNet>();
    if (!net) {
        why = "out of memory";
        return Errno::NOMEM;
    }
    net->m_transport = &transport;
    net->m_memory = memory;
    if (auto r = net->start(fallback_mac, why); r.is_error()) {
        set_failed(transport);
        net->release_memory();
        kiln::destroy(net);
        return r.error();
    }
    return net;
}

void VirtioNet::destroy(VirtioNet* net)
{
    if (!net)
        return;
    (void)net->m_transport->reset();
    net->release_memory();
    kiln::destroy(net);
}

Result<void> VirtioNet::start(const MacAddress& fallback_mac, const char*& why)
{
    Transport& t = *m_transport;
    TRY(m_features, negotiate_features(t, REQUIRED_FEATURES, WANTED_FEATURES, why));
    bool event_idx = (m_features & feature(feature_bit::EVENT_IDX)) != 0;

    // 5.1.5 Device Initialization: the queues, then the receive buffers.
    if (auto r = setup_queue(t, m_rx, net::RECEIVEQ, MAX_RX_BUFFERS, m_memory, event_idx); r.is_error()) {
        why = "cannot set up the receive queue";
        return r.error();
    }
    if (auto r = setup_queue(t, m_tx, net::TRANSMITQ, MAX_TX_BUFFERS, m_memory, event_idx); r.is_error()) {
        why = "cannot set up the transmit queue";
        return r.error();
    }
    m_rx_count = m_rx.size();
    m_tx_count = m_tx.size();
    auto rx = dma_allocate(m_memory, m_rx_count * BUFFER_SIZE);
    auto tx = dma_allocate(m_memory, m_tx_count * BUFFER_SIZE);
    if (rx.is_error() || tx.is_error()) {
        if (rx)
            dma_release(m_memory, rx.value());
        if (tx)
            dma_release(m_memory, tx.value());
        why = "no memory for packet buffers";
        return Errno::NOMEM;
    }
    m_rx_buffers = rx.value();
    m_tx_buffers = tx.value();
    for (uint16_t i = 0; i < m_tx_count; ++i)
        m_tx_free[i] = static_cast<uint16_t>(m_tx_count - 1 - i);
    m_tx_free_count = m_tx_count;

    if (has_device_mac())
        t.config_read_bytes(offsetof(net::Config, mac), m_mac.data(), m_mac.size());
    else
        m_mac = fallback_mac;

    for (uint16_t i = 0; i < m_rx_count; ++i)
        TRY_VOID(post_rx(i));
    // 3.1.1 step 8. Buffers may be made available before DRIVER_OK, but the device is
    // notified only after it (3.1.1: "MUST NOT send any buffer available notifications
    // to the device before setting DRIVER_OK").
    set_driver_ok(t);
    if ((t.status() & status::DEVICE_NEEDS_RESET) != 0) {
        why = "device needs reset right after start";
        return Errno::IO;
    }
    if (m_rx.publish())
        t.notify(net::RECEIVEQ);
    return {};
}

void VirtioNet::release_memory()
{
    m_rx.release(m_memory);
    m_tx.release(m_memory);
    dma_release(m_memory, m_rx_buffers);
    dma_release(m_memory, m_tx_buffers);
}

Result<void> VirtioNet::post_rx(uint16_t buffer)
{
    Segment segment { m_rx_buffers.physical + buffer * BUFFER_SIZE, static_cast<uint32_t>(BUFFER_SIZE) };
    TRY(uint16_t head, m_rx.add({}, std::span(&segment, 1), buffer));
    (void)head;
    return {};
}

bool VirtioNet::link_up()
{
    if ((m_features & feature(net::feature_bit::STATUS)) == 0)
        return true;
    return (m_transport->config_read16(offsetof(net::Config, status)) & net::S_LINK_UP) != 0;
}

Result<void> VirtioNet::transmit(std::span<const uint8_t> frame)
{
    if (frame.empty())
        return Errno::INVAL;
    if (frame.size() > MAX_FRAME)
        return Errno::MSGSIZE;
    if (m_tx_free_count == 0)
        reclaim_transmitted();
    if (m_tx_free_count == 0) {
        ++m_stats.tx_ring_full;
        return Errno::AGAIN;
    }
    uint16_t buffer = m_tx_free[--m_tx_free_count];
    uint8_t* bytes = tx_buffer(buffer);
    // 5.1.6.2 Packet Transmission: no offloads, so an all-zero header
    // (flags 0, gso_type VIRTIO_NET_HDR_GSO_NONE).
    __builtin_memset(bytes, 0, HEADER_SIZE);
    __builtin_memcpy(bytes + HEADER_SIZE, frame.data(), frame.size());
    Segment segment { m_tx_buffers.physical + buffer * BUFFER_SIZE, static_cast<uint32_t>(HEADER_SIZE + frame.size()) };
    auto added = m_tx.add(std::span(&segment, 1), {}, buffer);
    if (added.is_error()) {
        m_tx_free[m_tx_free_count++] = buffer;
        ++m_stats.tx_ring_full;
        return Errno::AGAIN;
    }
    ++m_stats.tx_frames;
    if (m_tx.publish())
        m_transport->notify(net::TRANSMITQ);
    return {};
}

size_t VirtioNet::reclaim_transmitted()
{
    size_t reclaimed = 0;
    while (auto used = m_tx.pop_used()) {
        if (used->token < m_tx_count && m_tx_free_count < m_tx_count)
            m_tx_free[m_tx_free_count++] = static_cast<uint16_t>(used->token);
        ++reclaimed;
    }
    return reclaimed;
}

bool VirtioNet::transmit_pending()
{
    reclaim_transmitted();
    return m_tx_free_count < m_tx_count;
}

size_t VirtioNet::poll_receive(FrameHandler handler, void* context, size_t budget)
{
    size_t delivered = 0;
    bool reposted = false;
    while (delivered < budget) {
        auto used = m_rx.pop_used();
        if (!used)
            break;
        auto buffer = static_cast<uint16_t>(used->token);
        // 5.1.6.4 Processing of Incoming Packets: header, then the frame.
        if (used->length <= HEADER_SIZE || used->length > BUFFER_SIZE) {
            ++m_stats.rx_errors;
        } else {
            ++m_stats.rx_frames;
            ++delivered;
            handler(context, std::span<const uint8_t>(rx_buffer(buffer) + HEADER_SIZE, used->length - HEADER_SIZE));
        }
        // The chain just came back, so a descriptor is free for it.
        if (post_rx(buffer).is_error())
            ++m_stats.rx_errors;
        else
            reposted = true;
    }
    if (reposted && m_rx.publish())
        m_transport->notify(net::RECEIVEQ);
    reclaim_transmitted();
    return delivered;
}

void VirtioNet::on_interrupt() { record_interrupt(m_transport->acknowledge_interrupt()); }

void VirtioNet::record_interrupt(uint32_t bits)
{
    if (bits) {
        m_interrupt_status.fetch_or(bits, std::memory_order_relaxed);
        ++m_stats.interrupts;
    }
}

} // namespace kiln::virtio
