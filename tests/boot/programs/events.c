// Boot test: the readiness calls the event loop relies on: epoll (level-triggered,
// edge-triggered, one-shot), eventfd, timerfd, poll, and epoll_wait timeouts that halt
// the CPU until the timer interrupt.
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

static long long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

int main(void)
{
    int ep = epoll_create1(EPOLL_CLOEXEC);
    int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (ep < 0 || efd < 0 || tfd < 0)
        return 2;

    struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 1 };
    epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev);
    struct epoll_event out[4];
    printf("events: empty eventfd ready=%d\n", epoll_wait(ep, out, 4, 0));

    uint64_t one = 1;
    write(efd, &one, 8);
    int n = epoll_wait(ep, out, 4, 0);
    printf("events: after write ready=%d data=%llu in=%d\n", n, (unsigned long long)out[0].data.u64,
        n > 0 && (out[0].events & EPOLLIN) != 0);
    printf("events: level-triggered again=%d\n", epoll_wait(ep, out, 4, 0));
    uint64_t value = 0;
    read(efd, &value, 8);
    printf("events: read %llu, then ready=%d\n", (unsigned long long)value, epoll_wait(ep, out, 4, 0));

    ev.events = EPOLLIN | EPOLLET;
    epoll_ctl(ep, EPOLL_CTL_MOD, efd, &ev);
    write(efd, &one, 8);
    int first = epoll_wait(ep, out, 4, 0);
    int second = epoll_wait(ep, out, 4, 0);
    printf("events: edge-triggered first=%d second=%d\n", first, second);
    read(efd, &value, 8);

    ev.events = EPOLLIN | EPOLLONESHOT;
    epoll_ctl(ep, EPOLL_CTL_MOD, efd, &ev);
    write(efd, &one, 8);
    first = epoll_wait(ep, out, 4, 0);
    second = epoll_wait(ep, out, 4, 0);
    printf("events: one-shot first=%d second=%d\n", first, second);
    read(efd, &value, 8);

    // A timer 30 ms out: epoll_wait sleeps until it fires, not until its own timeout.
    struct epoll_event tev = { .events = EPOLLIN, .data.u64 = 2 };
    epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &tev);
    // The clock is read before arming: a stall between the two (a loaded host) must not
    // make the wait look shorter than the timer.
    struct itimerspec spec = { .it_value = { 0, 30 * 1000000 } };
    long long start = now_ms();
    timerfd_settime(tfd, 0, &spec, NULL);
    n = epoll_wait(ep, out, 4, 5000);
    long long waited = now_ms() - start;
    uint64_t expirations = 0;
    read(tfd, &expirations, 8);
    printf("events: timerfd woke epoll ready=%d data=%llu expirations=%llu waited>=30ms=%d waited<5s=%d\n", n,
        (unsigned long long)out[0].data.u64, (unsigned long long)expirations, waited >= 30, waited < 5000);

    start = now_ms();
    n = epoll_wait(ep, out, 4, 40);
    waited = now_ms() - start;
    printf("events: timeout ready=%d waited>=40ms=%d\n", n, waited >= 40);

    struct pollfd p[2] = { { .fd = efd, .events = POLLIN }, { .fd = 1, .events = POLLOUT } };
    n = poll(p, 2, 0);
    printf("events: poll ready=%d stdout-writable=%d eventfd-readable=%d\n", n, (p[1].revents & POLLOUT) != 0,
        (p[0].revents & POLLIN) != 0);

    close(efd);
    printf("events: closed fd leaves the interest list ready=%d\n", epoll_wait(ep, out, 4, 0));
    return 0;
}
