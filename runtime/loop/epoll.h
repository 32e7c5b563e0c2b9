#pragma once

#include <cstdint>
#include <span>

#include <sys/epoll.h>

namespace kiln::loop {

// Every system call the loop makes lives in epoll.cpp and clock.cpp; README.md lists
// them with their flags for the kernel team. Errors come back as errno values (0 is
// success), never as exceptions.

// An epoll instance, level-triggered, keyed by fd (epoll_event.data.fd).
class Epoll {
public:
    // epoll_create1(EPOLL_CLOEXEC). Returns 0 or an errno; on success `out` owns the fd.
    [[nodiscard]] static int create(Epoll& out);
    Epoll() = default;
    ~Epoll();
    Epoll(const Epoll&) = delete;
    Epoll& operator=(const Epoll&) = delete;

    // epoll_ctl(EPOLL_CTL_ADD / EPOLL_CTL_MOD / EPOLL_CTL_DEL).
    [[nodiscard]] int add(int fd, uint32_t events);
    [[nodiscard]] int modify(int fd, uint32_t events);
    [[nodiscard]] int remove(int fd);

    // epoll_wait: blocks up to `timeout_ms` (-1: no limit, 0: just look). Returns the
    // number of events written to `events`; 0 when interrupted by a signal.
    int wait(std::span<epoll_event> events, int timeout_ms);

private:
    int m_fd = -1;
};

// An eventfd used as a doorbell: ring() makes it readable, drain() resets it.
class EventFd {
public:
    // eventfd2(0, EFD_CLOEXEC | EFD_NONBLOCK). Returns 0 or an errno.
    [[nodiscard]] static int create(EventFd& out);
    EventFd() = default;
    ~EventFd();
    EventFd(const EventFd&) = delete;
    EventFd& operator=(const EventFd&) = delete;

    bool is_open() const { return m_fd >= 0; }
    int fd() const { return m_fd; }
    void close();

    // write(fd, 8-byte 1). Never blocks: a full counter is already readable.
    void ring();
    // read(fd, 8 bytes): one read resets the counter (not in EFD_SEMAPHORE mode).
    void drain();

private:
    int m_fd = -1;
};

} // namespace kiln::loop
