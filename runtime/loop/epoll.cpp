#include "runtime/loop/epoll.h"

#include <cerrno>
#include <climits>
#include <cstdint>
#include <sys/eventfd.h>
#include <unistd.h>

namespace kiln::loop {

int Epoll::create(Epoll& out)
{
    int fd = ::epoll_create1(EPOLL_CLOEXEC);
    if (fd < 0)
        return errno;
    out.m_fd = fd;
    return 0;
}

Epoll::~Epoll()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

namespace {

int control(int epoll_fd, int operation, int fd, uint32_t events)
{
    epoll_event event {};
    event.events = events;
    event.data.fd = fd;
    return ::epoll_ctl(epoll_fd, operation, fd, &event) == 0 ? 0 : errno;
}

} // namespace

int Epoll::add(int fd, uint32_t events) { return control(m_fd, EPOLL_CTL_ADD, fd, events); }

int Epoll::modify(int fd, uint32_t events) { return control(m_fd, EPOLL_CTL_MOD, fd, events); }

int Epoll::remove(int fd)
{
    // Linux before 2.6.9 wanted a non-null event for DEL; passing one costs nothing.
    return control(m_fd, EPOLL_CTL_DEL, fd, 0);
}

int Epoll::wait(std::span<epoll_event> events, int timeout_ms)
{
    int count = ::epoll_wait(m_fd, events.data(), static_cast<int>(events.size()), timeout_ms);
    // EINTR: a signal arrived; the loop simply goes round again. Other errors (EBADF,
    // EFAULT, EINVAL) would be bugs in the loop itself.
    return count < 0 ? 0 : count;
}

int EventFd::create(EventFd& out)
{
    int fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (fd < 0)
        return errno;
    out.m_fd = fd;
    return 0;
}

EventFd::~EventFd() { close(); }

void EventFd::close()
{
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
}

void EventFd::ring()
{
    uint64_t one = 1;
    ssize_t written;
    do
        written = ::write(m_fd, &one, sizeof one);
    while (written < 0 && errno == EINTR);
}

void EventFd::drain()
{
    uint64_t count;
    ssize_t got;
    do
        got = ::read(m_fd, &count, sizeof count);
    while (got < 0 && errno == EINTR);
}

} // namespace kiln::loop
