#pragma once

// A socket as an open file: the Linux socket ABI's view of a TCP or UDP socket of the
// network stack. read/write/poll go through the File interface; the socket calls
// (linux/sys_socket.cpp) reach the stack socket directly.

#include "fs/file.h"
#include "net/tcp/tcp_socket.h"
#include "net/udp_socket.h"

namespace kiln {

class SocketFile final : public File {
public:
    enum class Kind : uint8_t { Tcp, Udp };

    // A new socket of the network stack. ENETDOWN when there is no stack.
    static Result<SocketFile*> create(Kind kind);
    // Wraps a socket accept() produced.
    static Result<SocketFile*> adopt(net::TcpSocket* socket);
    ~SocketFile() override;

    Result<size_t> read(uint64_t, const IoBuffer& buffer) override;
    Result<size_t> write(uint64_t, const IoBuffer& buffer) override;
    Result<void> stat(LinuxStat& out) const override;
    bool seekable() const override { return false; }
    bool pollable() const override { return true; }
    uint32_t poll_events() const override;

    Kind kind() const { return m_kind; }
    net::TcpSocket* tcp() const { return m_tcp; }
    net::UdpSocket* udp() const { return m_udp; }
    bool nonblocking() const;

    // Waits until any of `events` (or an error/hang-up) is ready; EAGAIN right away for
    // a non-blocking socket or with `dont_wait` (MSG_DONTWAIT).
    Result<void> wait_for(uint32_t events, bool dont_wait);

    // Data transfer with the socket's semantics (partial sends, datagram boundaries).
    Result<size_t> send(const IoBuffer& data, const net::Endpoint* to, bool dont_wait);
    struct Received {
        size_t size;           // bytes copied
        size_t full_size;      // UDP: the datagram's size (MSG_TRUNC)
        net::Endpoint from;
    };
    Result<Received> receive(const IoBuffer& out, bool peek, bool dont_wait);

    SocketFile* as_socket() override { return this; }

private:
    SocketFile(Kind kind, net::TcpSocket* tcp, net::UdpSocket* udp) : m_kind(kind), m_tcp(tcp), m_udp(udp) {}
    template <typename T, typename... Args> friend T* kiln::make(Args&&... args);

    Kind m_kind;
    net::TcpSocket* m_tcp;
    net::UdpSocket* m_udp;
};

// The SocketFile behind a descriptor: ENOTSOCK for other files.
Result<SocketFile*> socket_for(int fd);

}  // namespace kiln
