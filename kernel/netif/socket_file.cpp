#include "netif/socket_file.h"

#include "fs/fd_table.h"
#include "fs/open_flags.h"
#include "lib/kalloc.h"
#include "netif/network.h"
#include "time/clock.h"
#include "time/wait.h"

namespace kiln {
namespace {

using net::socket_events::ERR;
using net::socket_events::HUP;
using net::socket_events::IN;
using net::socket_events::OUT;

net::Instant now() { return net::Instant::from_nanoseconds(monotonic_ns()); }

// Socket data passes through this buffer between user memory and the stack. One CPU,
// and system calls never interleave, so one buffer serves every socket.
constexpr size_t BOUNCE_SIZE = 64 * 1024;
alignas(64) uint8_t g_bounce[BOUNCE_SIZE];

struct WaitFor {
    const SocketFile* socket;
    uint32_t events;
};

}  // namespace

Result<SocketFile*> SocketFile::create(Kind kind)
{
    net::Stack* stack = network_stack();
    if (!stack)
        return Errno::AFNOSUPPORT;
    SocketFile* file = nullptr;
    if (kind == Kind::Tcp) {
        TRY(net::TcpSocket * socket, stack->tcp_socket());
        file = make<SocketFile>(kind, socket, nullptr);
        if (!file)
            socket->abort(now());
    } else {
        TRY(net::UdpSocket * socket, stack->udp_socket());
        file = make<SocketFile>(kind, nullptr, socket);
        if (!file)
            socket->close();
    }
    if (!file)
        return Errno::NOMEM;
    return file;
}

Result<SocketFile*> SocketFile::adopt(net::TcpSocket* socket)
{
    SocketFile* file = make<SocketFile>(Kind::Tcp, socket, nullptr);
    if (!file) {
        socket->abort(now());
        return Errno::NOMEM;
    }
    return file;
}

SocketFile::~SocketFile()
{
    // close() lets TCP finish sending and say goodbye (FIN) on its own time.
    if (m_tcp)
        m_tcp->close(now());
    if (m_udp)
        m_udp->close();
}

bool SocketFile::nonblocking() const { return status_flags & O_NONBLOCK_FLAG; }

uint32_t SocketFile::poll_events() const { return m_tcp ? m_tcp->events() : m_udp->events(); }

Result<void> SocketFile::wait_for(uint32_t events, bool dont_wait)
{
    if (poll_events() & (events | ERR | HUP))
        return {};
    if (nonblocking() || dont_wait)
        return Errno::AGAIN;
    WaitFor wait { this, events };
    (void)wait_until(
        WAIT_FOREVER,
        [](void* context) {
            auto* w = static_cast<WaitFor*>(context);
            return (w->socket->poll_events() & (w->events | ERR | HUP)) != 0;
        },
        &wait);
    return {};
}

Result<size_t> SocketFile::send(const IoBuffer& data, const net::Endpoint* to, bool dont_wait)
{
    if (m_udp) {
        if (data.length() > BOUNCE_SIZE)
            return Errno::MSGSIZE;
        TRY_VOID(data.read(0, g_bounce, data.length()));
        std::optional<net::Endpoint> destination;
        if (to)
            destination = *to;
        return m_udp->send_to(now(), std::span<const uint8_t>(g_bounce, data.length()), destination);
    }
    // TCP: send what fits; block (unless non-blocking) until at least something does.
    size_t sent = 0;
    while (sent < data.length()) {
        size_t chunk = data.length() - sent < BOUNCE_SIZE ? data.length() - sent : BOUNCE_SIZE;
        TRY_VOID(data.read(sent, g_bounce, chunk));
        auto n = m_tcp->send(now(), std::span<const uint8_t>(g_bounce, chunk));
        if (n.is_error()) {
            if (n.error() != Errno::AGAIN)
                return sent > 0 ? Result<size_t>(sent) : Result<size_t>(n.error());
            if (sent > 0 && (nonblocking() || dont_wait))
                return sent;
            if (auto w = wait_for(OUT, dont_wait); w.is_error())
                return sent > 0 ? Result<size_t>(sent) : Result<size_t>(w.error());
            continue;
        }
        sent += n.value();
        if (n.value() < chunk && (nonblocking() || dont_wait))
            break;
    }
    return sent;
}

Result<SocketFile::Received> SocketFile::receive(const IoBuffer& out, bool peek, bool dont_wait)
{
    size_t wanted = out.length() < BOUNCE_SIZE ? out.length() : BOUNCE_SIZE;
    for (;;) {
        if (m_udp) {
            auto got = m_udp->receive_from(std::span<uint8_t>(g_bounce, wanted), peek);
            if (!got.is_error()) {
                TRY_VOID(out.write(0, g_bounce, got->size));
                return Received { got->size, got->datagram_size, got->from };
            }
            if (got.error() != Errno::AGAIN)
                return got.error();
        } else {
            auto got = m_tcp->receive(now(), std::span<uint8_t>(g_bounce, wanted), peek);
            if (!got.is_error()) {
                TRY_VOID(out.write(0, g_bounce, got.value()));
                return Received { got.value(), got.value(), {} };
            }
            if (got.error() != Errno::AGAIN)
                return got.error();
        }
        TRY_VOID(wait_for(IN, dont_wait));
    }
}

Result<size_t> SocketFile::read(uint64_t, const IoBuffer& buffer)
{
    TRY(Received got, receive(buffer, false, false));
    return got.size;
}

// write() on an unconnected UDP socket has no destination: EDESTADDRREQ, as on Linux.
Result<size_t> SocketFile::write(uint64_t, const IoBuffer& buffer) { return send(buffer, nullptr, false); }

Result<void> SocketFile::stat(LinuxStat& out) const
{
    out = LinuxStat {};
    out.dev = DEVICE_PSEUDO;
    out.nlink = 1;
    out.mode = 0140777;  // S_IFSOCK
    out.blksize = 4096;
    return {};
}

Result<SocketFile*> socket_for(int fd)
{
    TRY(File * file, fd_table().get(fd));
    if (SocketFile* socket = file->as_socket())
        return socket;
    return Errno::NOTSOCK;
}

}  // namespace kiln
