#define _GNU_SOURCE
// Boot test: the socket ABI over the kernel's TCP/IP stack. Loopback TCP (a 1 MiB
// transfer with non-blocking sockets and poll), loopback UDP, /etc/resolv.conf from
// DHCP; with argument "serve", answers one HTTP request on port 8080 from the host
// (through QEMU's user network and a forwarded port).
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int serve(void)
{
    int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int on = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
    struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons(8080), .sin_addr.s_addr = INADDR_ANY };
    if (bind(listener, (struct sockaddr*)&address, sizeof(address)) != 0 || listen(listener, 16) != 0)
        return 2;
    printf("sockets: listening on 8080\n");
    fflush(stdout);
    int connection = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
    if (connection < 0)
        return 3;
    char request[2048];
    ssize_t n = read(connection, request, sizeof(request) - 1);
    request[n > 0 ? n : 0] = 0;
    printf("sockets: request line: %.*s\n", (int)strcspn(request, "\r\n"), request);
    const char* response = "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nhello from the kiln kernel\n";
    write(connection, response, strlen(response));
    close(connection);
    close(listener);
    return 0;
}

static int loopback_tcp(void)
{
    int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    struct sockaddr_in address = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t length = sizeof(address);
    if (bind(listener, (struct sockaddr*)&address, sizeof(address)) != 0 || listen(listener, 4) != 0)
        return -1;
    getsockname(listener, (struct sockaddr*)&address, &length);
    printf("sockets: bound to an ephemeral port: %s\n", ntohs(address.sin_port) != 0 ? "yes" : "no");

    int client = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int r = connect(client, (struct sockaddr*)&address, sizeof(address));
    printf("sockets: non-blocking connect: %s\n", r == 0 || errno == EINPROGRESS ? "ok" : strerror(errno));
    struct pollfd wait_accept = { .fd = listener, .events = POLLIN };
    poll(&wait_accept, 1, 2000);
    int server = accept4(listener, NULL, NULL, SOCK_NONBLOCK);
    int one = 1;
    setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    int error = -1;
    socklen_t error_length = sizeof(error);
    getsockopt(client, SOL_SOCKET, SO_ERROR, &error, &error_length);
    printf("sockets: accepted=%s so_error=%d\n", server >= 0 ? "yes" : "no", error);

    // 1 MiB from client to server, both non-blocking, driven by poll.
    size_t total = 1 << 20, sent = 0, received = 0;
    unsigned long sum_sent = 0, sum_received = 0;
    static unsigned char out[65536], in[65536];
    for (size_t i = 0; i < sizeof(out); ++i)
        out[i] = (unsigned char)(i * 31 + 7);
    while (received < total) {
        struct pollfd fds[2] = { { .fd = client, .events = sent < total ? POLLOUT : 0 }, { .fd = server, .events = POLLIN } };
        if (poll(fds, 2, 5000) <= 0)
            return -2;
        if (fds[0].revents & POLLOUT) {
            size_t chunk = total - sent < sizeof(out) ? total - sent : sizeof(out);
            ssize_t n = write(client, out, chunk);
            if (n > 0) {
                for (ssize_t i = 0; i < n; ++i)
                    sum_sent += out[i];
                sent += (size_t)n;
            }
        }
        if (fds[1].revents & POLLIN) {
            ssize_t n = read(server, in, sizeof(in));
            for (ssize_t i = 0; i < n; ++i)
                sum_received += in[i];
            if (n > 0)
                received += (size_t)n;
        }
    }
    printf("sockets: 1 MiB over loopback intact: %s\n", sum_sent == sum_received && received == total ? "yes" : "no");
    close(client);
    struct pollfd wait_eof = { .fd = server, .events = POLLIN };
    poll(&wait_eof, 1, 2000);
    printf("sockets: end of stream after close: %s\n", read(server, in, sizeof(in)) == 0 ? "yes" : "no");
    close(server);
    close(listener);
    return 0;
}

static int loopback_udp(void)
{
    int a = socket(AF_INET, SOCK_DGRAM, 0), b = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in address = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t length = sizeof(address);
    bind(b, (struct sockaddr*)&address, sizeof(address));
    getsockname(b, (struct sockaddr*)&address, &length);
    sendto(a, "datagram", 8, 0, (struct sockaddr*)&address, sizeof(address));
    char buffer[64] = { 0 };
    struct sockaddr_in from;
    socklen_t from_length = sizeof(from);
    ssize_t n = recvfrom(b, buffer, sizeof(buffer), 0, (struct sockaddr*)&from, &from_length);
    printf("sockets: udp got \"%.*s\" from 127.0.0.1: %s\n", (int)(n > 0 ? n : 0), buffer,
        from.sin_addr.s_addr == htonl(INADDR_LOOPBACK) ? "yes" : "no");
    close(a);
    close(b);
    return 0;
}

int main(int argc, char** argv)
{
    if (argc > 1 && strcmp(argv[1], "serve") == 0)
        return serve();
    int ipv6 = socket(AF_INET6, SOCK_STREAM, 0);
    printf("sockets: AF_INET6 refused: %s\n", ipv6 < 0 && errno == EAFNOSUPPORT ? "EAFNOSUPPORT" : "no");
    if (loopback_tcp() != 0 || loopback_udp() != 0)
        return 1;
    FILE* resolv = fopen("/etc/resolv.conf", "r");
    char line[128] = { 0 };
    if (resolv && fgets(line, sizeof(line), resolv))
        printf("sockets: resolv.conf %s", line);
    return 0;
}
