// libkiln-qemu-listen.so: preloaded into QEMU by `kiln run` when it forwards ports.
//
// libslirp (QEMU's user network, which serves every `-p` forward) opens its host
// listeners with listen(fd, 1). The host kernel then holds at most two finished
// handshakes for QEMU to accept and drops the last ACK of every other connection in a
// burst; the client believes it is connected, but its request waits for the server's
// SYN-ACK retransmissions, 1, 2, 4, 8... s apart, two connections per round: 64
// connections opened at once (a browser, a load balancer, wrk -c64) take up to a minute
// to be served. Raising the backlog of QEMU's listening sockets removes the stall; QEMU
// has no option for it. Nothing else in QEMU is touched.

#include <dlfcn.h>
#include <sys/socket.h>

extern "C" int listen(int fd, int backlog)
{
    using ListenFunction = int (*)(int, int);
    static auto next_listen = reinterpret_cast<ListenFunction>(dlsym(RTLD_NEXT, "listen"));
    return next_listen(fd, backlog < SOMAXCONN ? SOMAXCONN : backlog);
}
