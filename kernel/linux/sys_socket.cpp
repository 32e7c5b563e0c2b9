// The socket calls (AF_INET only): socket, bind, listen, accept/accept4, connect,
// sendto/recvfrom, sendmsg/recvmsg, shutdown, getsockname/getpeername,
// setsockopt/getsockopt. The sockets themselves are netif/socket_file.h over net/.

#include "fs/fd_table.h"
#include "fs/open_flags.h"
#include "linux/file_args.h"
#include "linux/syscall.h"
#include "netif/socket_file.h"
#include "proc/process.h"
#include "time/clock.h"

namespace kiln {
namespace {

constexpr uint16_t AF_INET = 2;
constexpr int SOCK_STREAM = 1, SOCK_DGRAM = 2;
constexpr int SOCK_NONBLOCK = 04000, SOCK_CLOEXEC = 02000000;
constexpr int IPPROTO_IP = 0, IPPROTO_TCP = 6, IPPROTO_UDP = 17;
constexpr uint64_t MSG_PEEK = 0x2, MSG_TRUNC = 0x20, MSG_DONTWAIT = 0x40, MSG_WAITALL = 0x100, MSG_NOSIGNAL = 0x4000;

net::Instant now() { return net::Instant::from_nanoseconds(monotonic_ns()); }

// struct sockaddr_in: family, port and address in network byte order, 8 bytes of zeros.
struct SockaddrIn {
    uint16_t family;
    uint8_t port[2];
    uint8_t address[4];
    uint8_t zero[8];
};
static_assert(sizeof(SockaddrIn) == 16);

Result<net::Endpoint> read_sockaddr(UserAddress address, uint64_t length)
{
    if (length < sizeof(SockaddrIn))
        return Errno::INVAL;
    TRY(SockaddrIn in, read_user<SockaddrIn>(address));
    if (in.family != AF_INET)
        return Errno::AFNOSUPPORT;
    net::Endpoint endpoint;
    endpoint.address = net::Ipv4Address::from_u32(static_cast<uint32_t>(in.address[0]) << 24
        | static_cast<uint32_t>(in.address[1]) << 16 | static_cast<uint32_t>(in.address[2]) << 8 | in.address[3]);
    endpoint.port = static_cast<uint16_t>(in.port[0] << 8 | in.port[1]);
    return endpoint;
}

// Writes an endpoint to (address, *length_address) as Linux does: truncated to the
// caller's length, the full length stored back.
Result<void> write_sockaddr(UserAddress address, UserAddress length_address, const net::Endpoint& endpoint)
{
    if (address.is_null())
        return {};
    TRY(uint32_t length, read_user<uint32_t>(length_address));
    if (static_cast<int32_t>(length) < 0)
        return Errno::INVAL;
    SockaddrIn out {};
    out.family = AF_INET;
    out.port[0] = static_cast<uint8_t>(endpoint.port >> 8);
    out.port[1] = static_cast<uint8_t>(endpoint.port);
    uint32_t ip = endpoint.address.to_u32();
    out.address[0] = static_cast<uint8_t>(ip >> 24);
    out.address[1] = static_cast<uint8_t>(ip >> 16);
    out.address[2] = static_cast<uint8_t>(ip >> 8);
    out.address[3] = static_cast<uint8_t>(ip);
    size_t n = length < sizeof(out) ? length : sizeof(out);
    TRY_VOID(copy_to_user(address, &out, n));
    return write_user(length_address, static_cast<uint32_t>(sizeof(out)));
}

Result<int64_t> install(SocketFile* file, int flags)
{
    file->status_flags = O_READ_WRITE | (flags & SOCK_NONBLOCK ? O_NONBLOCK_FLAG : 0);
    return install_file(file, flags & SOCK_CLOEXEC);
}

Result<int64_t> sys_socket(const SyscallArgs& a)
{
    int domain = static_cast<int>(a.a0);
    int type = static_cast<int>(a.a1) & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
    int protocol = static_cast<int>(a.a2);
    if (static_cast<int>(a.a1) & ~(0xf | SOCK_NONBLOCK | SOCK_CLOEXEC))
        return Errno::INVAL;
    if (domain != AF_INET)
        return Errno::AFNOSUPPORT; // IPv6 and AF_UNIX are not offered
    SocketFile::Kind kind;
    if (type == SOCK_STREAM && (protocol == IPPROTO_IP || protocol == IPPROTO_TCP))
        kind = SocketFile::Kind::Tcp;
    else if (type == SOCK_DGRAM && (protocol == IPPROTO_IP || protocol == IPPROTO_UDP))
        kind = SocketFile::Kind::Udp;
    else if (type == SOCK_STREAM || type == SOCK_DGRAM)
        return Errno::PROTONOSUPPORT;
    else
        return Errno::PROTOTYPE;
    TRY(SocketFile * file, SocketFile::create(kind));
    (void)file->set_path(kind == SocketFile::Kind::Tcp ? "socket:[tcp]" : "socket:[udp]", 12);
    return install(file, static_cast<int>(a.a1));
}

Result<int64_t> sys_bind(const SyscallArgs& a)
{
    TRY(SocketFile * socket, socket_for(static_cast<int>(a.a0)));
    TRY(net::Endpoint endpoint, read_sockaddr(a.user(a.a1), a.a2));
    if (socket->tcp())
        TRY_VOID(socket->tcp()->bind(endpoint));
    else
        TRY_VOID(socket->udp()->bind(endpoint));
    return 0;
}

Result<int64_t> sys_listen(const SyscallArgs& a)
{
    TRY(SocketFile * socket, socket_for(static_cast<int>(a.a0)));
    if (!socket->tcp())
        return Errno::OPNOTSUPP;
    int backlog = static_cast<int>(a.a1);
    // Linux clamps to somaxconn (4096) and treats negative as the maximum.
    uint32_t clamped = backlog < 0 || backlog > 4096 ? 4096 : static_cast<uint32_t>(backlog);
    TRY_VOID(socket->tcp()->listen(clamped));
    return 0;
}

Result<int64_t> accept_common(const SyscallArgs& a, int flags)
{
    if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC))
        return Errno::INVAL;
    TRY(SocketFile * listener, socket_for(static_cast<int>(a.a0)));
    if (!listener->tcp())
        return Errno::OPNOTSUPP;
    for (;;) {
        auto accepted = listener->tcp()->accept();
        if (!accepted.is_error()) {
            net::TcpSocket* connection = accepted.value();
            if (auto r = write_sockaddr(a.user(a.a1), a.user(a.a2),
                    connection->remote_endpoint().is_error() ? net::Endpoint {}
                                                             : connection->remote_endpoint().value());
                r.is_error()) {
                connection->abort(now());
                return r.error();
            }
            TRY(SocketFile * file, SocketFile::adopt(connection));
            (void)file->set_path("socket:[tcp]", 12);
            return install(file, flags);
        }
        if (accepted.error() != Errno::AGAIN)
            return accepted.error();
        TRY_VOID(listener->wait_for(net::socket_events::IN, false));
    }
}

Result<int64_t> sys_accept(const SyscallArgs& a) { return accept_common(a, 0); }
Result<int64_t> sys_accept4(const SyscallArgs& a) { return accept_common(a, static_cast<int>(a.a3)); }

Result<int64_t> sys_connect(const SyscallArgs& a)
{
    TRY(SocketFile * socket, socket_for(static_cast<int>(a.a0)));
    TRY(net::Endpoint endpoint, read_sockaddr(a.user(a.a1), a.a2));
    if (socket->udp()) {
        TRY_VOID(socket->udp()->connect(endpoint));
        return 0;
    }
    net::TcpSocket* tcp = socket->tcp();
    TRY_VOID(tcp->connect(now(), endpoint));
    if (tcp->state() == net::TcpState::Established)
        return 0;
    if (socket->nonblocking())
        return Errno::INPROGRESS;
    TRY_VOID(socket->wait_for(net::socket_events::OUT, false));
    if (int error = tcp->take_error())
        return static_cast<Errno>(error);
    return 0;
}

Result<int64_t> sys_sendto(const SyscallArgs& a)
{
    TRY(SocketFile * socket, socket_for(static_cast<int>(a.a0)));
    net::Endpoint to;
    bool has_to = a.a4 != 0;
    if (has_to) {
        TRY(to, read_sockaddr(a.user(a.a4), a.a5));
    }
    if (has_to && socket->tcp())
        has_to = false; // Linux ignores the address on a connected stream socket
    TRY(size_t n, socket->send(IoBuffer::user(a.user(a.a1), a.a2), has_to ? &to : nullptr, a.a3 & MSG_DONTWAIT));
    return static_cast<int64_t>(n);
}

Result<int64_t> sys_recvfrom(const SyscallArgs& a)
{
    TRY(SocketFile * socket, socket_for(static_cast<int>(a.a0)));
    if (a.a3 & ~(MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT | MSG_WAITALL | MSG_NOSIGNAL))
        return Errno::OPNOTSUPP;
    TRY(SocketFile::Received got,
        socket->receive(IoBuffer::user(a.user(a.a1), a.a2), a.a3 & MSG_PEEK, a.a3 & MSG_DONTWAIT));
    if (socket->udp())
        TRY_VOID(write_sockaddr(a.user(a.a4), a.user(a.a5), got.from));
    return static_cast<int64_t>((a.a3 & MSG_TRUNC) && socket->udp() ? got.full_size : got.size);
}

struct MsgHeader {
    uint64_t name;
    uint32_t name_length;
    uint32_t pad0;
    uint64_t iov;
    uint64_t iov_length;
    uint64_t control;
    uint64_t control_length;
    int32_t flags;
    int32_t pad1;
};
static_assert(sizeof(MsgHeader) == 56);

struct IoVector {
    uint64_t base;
    uint64_t length;
};

// sendmsg/recvmsg gather through one kernel buffer: a datagram must leave in one piece.
// Static: one CPU, and a system call never runs inside another.
constexpr size_t MESSAGE_LIMIT = 64 * 1024;
alignas(64) uint8_t g_message[MESSAGE_LIMIT];

Result<int64_t> sys_sendmsg(const SyscallArgs& a)
{
    TRY(SocketFile * socket, socket_for(static_cast<int>(a.a0)));
    TRY(MsgHeader header, read_user<MsgHeader>(a.user(a.a1)));
    if (header.iov_length > 1024)
        return Errno::MSGSIZE;
    size_t total = 0;
    for (uint64_t i = 0; i < header.iov_length; ++i) {
        TRY(IoVector v, read_user<IoVector>(UserAddress { header.iov + i * sizeof(IoVector) }));
        total += v.length;
        if (total > MESSAGE_LIMIT)
            return Errno::MSGSIZE;
    }
    size_t at = 0;
    for (uint64_t i = 0; i < header.iov_length; ++i) {
        TRY(IoVector v, read_user<IoVector>(UserAddress { header.iov + i * sizeof(IoVector) }));
        TRY_VOID(copy_from_user(g_message + at, UserAddress { v.base }, v.length));
        at += v.length;
    }
    net::Endpoint to;
    bool has_to = header.name != 0 && socket->udp();
    if (has_to) {
        TRY(to, read_sockaddr(UserAddress { header.name }, header.name_length));
    }
    TRY(size_t sent, socket->send(IoBuffer::kernel(g_message, total), has_to ? &to : nullptr, a.a2 & MSG_DONTWAIT));
    return static_cast<int64_t>(sent);
}

Result<int64_t> sys_recvmsg(const SyscallArgs& a)
{
    TRY(SocketFile * socket, socket_for(static_cast<int>(a.a0)));
    TRY(MsgHeader header, read_user<MsgHeader>(a.user(a.a1)));
    if (header.iov_length > 1024)
        return Errno::MSGSIZE;
    size_t total = 0;
    for (uint64_t i = 0; i < header.iov_length; ++i) {
        TRY(IoVector v, read_user<IoVector>(UserAddress { header.iov + i * sizeof(IoVector) }));
        total += v.length;
    }
    if (total > MESSAGE_LIMIT)
        total = MESSAGE_LIMIT;
    TRY(SocketFile::Received got,
        socket->receive(IoBuffer::kernel(g_message, total), a.a2 & MSG_PEEK, a.a2 & MSG_DONTWAIT));
    size_t at = 0;
    for (uint64_t i = 0; i < header.iov_length && at < got.size; ++i) {
        TRY(IoVector v, read_user<IoVector>(UserAddress { header.iov + i * sizeof(IoVector) }));
        size_t n = v.length < got.size - at ? v.length : got.size - at;
        TRY_VOID(copy_to_user(UserAddress { v.base }, g_message + at, n));
        at += n;
    }
    int32_t flags = got.full_size > got.size ? static_cast<int32_t>(MSG_TRUNC) : 0;
    TRY_VOID(write_user(UserAddress { a.a1 + __builtin_offsetof(MsgHeader, flags) }, flags));
    TRY_VOID(write_user(UserAddress { a.a1 + __builtin_offsetof(MsgHeader, control_length) }, uint64_t { 0 }));
    if (header.name && socket->udp()) {
        TRY_VOID(write_sockaddr(
            UserAddress { header.name }, UserAddress { a.a1 + __builtin_offsetof(MsgHeader, name_length) }, got.from));
    }
    return static_cast<int64_t>(got.size);
}

Result<int64_t> sys_shutdown(const SyscallArgs& a)
{
    TRY(SocketFile * socket, socket_for(static_cast<int>(a.a0)));
    if (a.a1 > 2)
        return Errno::INVAL;
    if (!socket->tcp())
        return Errno::NOTCONN;
    static constexpr net::Shutdown how[] = { net::Shutdown::Read, net::Shutdown::Write, net::Shutdown::Both };
    TRY_VOID(socket->tcp()->shutdown(now(), how[a.a1]));
    return 0;
}

Result<int64_t> sys_getsockname(const SyscallArgs& a)
{
    TRY(SocketFile * socket, socket_for(static_cast<int>(a.a0)));
    net::Endpoint local = socket->tcp() ? socket->tcp()->local_endpoint() : socket->udp()->local_endpoint();
    TRY_VOID(write_sockaddr(a.user(a.a1), a.user(a.a2), local));
    return 0;
}

Result<int64_t> sys_getpeername(const SyscallArgs& a)
{
    TRY(SocketFile * socket, socket_for(static_cast<int>(a.a0)));
    TRY(net::Endpoint remote, socket->tcp() ? socket->tcp()->remote_endpoint() : socket->udp()->remote_endpoint());
    TRY_VOID(write_sockaddr(a.user(a.a1), a.user(a.a2), remote));
    return 0;
}

constexpr int SOL_SOCKET = 1;
constexpr int SO_REUSEADDR = 2, SO_TYPE = 3, SO_ERROR = 4, SO_BROADCAST = 6, SO_SNDBUF = 7, SO_RCVBUF = 8,
              SO_KEEPALIVE = 9, SO_LINGER = 13, SO_REUSEPORT = 15, SO_RCVTIMEO = 20, SO_SNDTIMEO = 21,
              SO_ACCEPTCONN = 30, SO_DOMAIN = 39, SO_PROTOCOL = 38;
constexpr int TCP_NODELAY = 1, TCP_KEEPIDLE = 4, TCP_KEEPINTVL = 5, TCP_KEEPCNT = 6;

Result<int64_t> sys_setsockopt(const SyscallArgs& a)
{
    TRY(SocketFile * socket, socket_for(static_cast<int>(a.a0)));
    int level = static_cast<int>(a.a1), name = static_cast<int>(a.a2);
    // SO_LINGER and the timeouts take structs; accept and ignore them (FIXME: honour).
    if (level == SOL_SOCKET && (name == SO_LINGER || name == SO_RCVTIMEO || name == SO_SNDTIMEO))
        return 0;
    if (a.a4 < sizeof(int32_t))
        return Errno::INVAL;
    TRY(int32_t value, read_user<int32_t>(a.user(a.a3)));
    net::TcpSocket* tcp = socket->tcp();
    net::UdpSocket* udp = socket->udp();
    if (level == SOL_SOCKET) {
        switch (name) {
        case SO_REUSEADDR:
        case SO_REUSEPORT:
            if (tcp)
                tcp->set_reuse_address(value != 0);
            return 0;
        case SO_KEEPALIVE:
            if (tcp)
                tcp->set_keepalive(now(), value != 0);
            return 0;
        case SO_BROADCAST:
            if (udp)
                udp->set_broadcast(value != 0);
            return 0;
        case SO_RCVBUF:
        case SO_SNDBUF: {
            // Linux doubles the value for bookkeeping and enforces a floor.
            size_t bytes = value < 1152 ? 2304 : static_cast<size_t>(value) * 2;
            if (tcp)
                TRY_VOID(name == SO_RCVBUF ? tcp->set_receive_buffer(bytes) : tcp->set_send_buffer(bytes));
            else if (name == SO_RCVBUF)
                TRY_VOID(udp->set_receive_buffer(bytes));
            return 0;
        }
        default:
            return Errno::NOPROTOOPT;
        }
    }
    if (level == IPPROTO_TCP && tcp) {
        switch (name) {
        case TCP_NODELAY:
            tcp->set_nodelay(now(), value != 0);
            return 0;
        case TCP_KEEPIDLE:
        case TCP_KEEPINTVL:
        case TCP_KEEPCNT: {
            if (value < 1)
                return Errno::INVAL;
            net::TcpKeepalive k = tcp->keepalive_parameters();
            if (name == TCP_KEEPIDLE)
                k.idle = net::Duration::seconds(value);
            else if (name == TCP_KEEPINTVL)
                k.interval = net::Duration::seconds(value);
            else
                k.probes = static_cast<uint32_t>(value);
            tcp->set_keepalive_parameters(k);
            return 0;
        }
        default:
            return Errno::NOPROTOOPT;
        }
    }
    return Errno::NOPROTOOPT;
}

Result<int64_t> sys_getsockopt(const SyscallArgs& a)
{
    TRY(SocketFile * socket, socket_for(static_cast<int>(a.a0)));
    int level = static_cast<int>(a.a1), name = static_cast<int>(a.a2);
    net::TcpSocket* tcp = socket->tcp();
    int32_t value = 0;
    if (level == SOL_SOCKET) {
        switch (name) {
        case SO_ERROR:
            value = tcp ? tcp->take_error() : 0;
            break;
        case SO_TYPE:
            value = tcp ? SOCK_STREAM : SOCK_DGRAM;
            break;
        case SO_DOMAIN:
            value = AF_INET;
            break;
        case SO_PROTOCOL:
            value = tcp ? IPPROTO_TCP : IPPROTO_UDP;
            break;
        case SO_ACCEPTCONN:
            value = tcp && tcp->state() == net::TcpState::Listen;
            break;
        case SO_KEEPALIVE:
            value = tcp && tcp->keepalive();
            break;
        case SO_RCVBUF:
            value = static_cast<int32_t>(tcp ? tcp->receive_buffer() : socket->udp()->receive_buffer());
            break;
        case SO_SNDBUF:
            value = static_cast<int32_t>(tcp ? tcp->send_buffer() : 212992);
            break;
        case SO_REUSEADDR:
        case SO_REUSEPORT:
        case SO_BROADCAST:
            value = 0;
            break;
        default:
            return Errno::NOPROTOOPT;
        }
    } else if (level == IPPROTO_TCP && tcp && name == TCP_NODELAY) {
        value = tcp->nodelay();
    } else {
        return Errno::NOPROTOOPT;
    }
    TRY(uint32_t length, read_user<uint32_t>(a.user(a.a4)));
    if (static_cast<int32_t>(length) < 0)
        return Errno::INVAL;
    size_t n = length < sizeof(value) ? length : sizeof(value);
    TRY_VOID(copy_to_user(a.user(a.a3), &value, n));
    TRY_VOID(write_user(a.user(a.a4), static_cast<uint32_t>(n)));
    return 0;
}

const SyscallEntry ENTRIES[] = {
    { 41, sys_socket },
    { 42, sys_connect },
    { 43, sys_accept },
    { 44, sys_sendto },
    { 45, sys_recvfrom },
    { 46, sys_sendmsg },
    { 47, sys_recvmsg },
    { 48, sys_shutdown },
    { 49, sys_bind },
    { 50, sys_listen },
    { 51, sys_getsockname },
    { 52, sys_getpeername },
    { 54, sys_setsockopt },
    { 55, sys_getsockopt },
    { 288, sys_accept4 },
};

} // namespace

SyscallFamily socket_syscalls() { return { ENTRIES, sizeof(ENTRIES) / sizeof(ENTRIES[0]) }; }

} // namespace kiln
