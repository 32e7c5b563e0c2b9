// Boot test: `udp_burst HOST PORT COUNT` sends one datagram, waits 200 ms (so ARP has
// resolved the next hop and nothing queues behind it), then sends COUNT more as fast as
// it can and exits at once: everything sent before exit_group must still reach the host,
// although the VM powers off right after.
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char** argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: udp_burst HOST PORT COUNT\n");
        return 2;
    }
    struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(argv[2])) };
    int count = atoi(argv[3]);
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0 || inet_pton(AF_INET, argv[1], &to.sin_addr) != 1 || count < 1)
        return 2;
    // Printed first: console output is slow enough to let datagrams out meanwhile.
    printf("udp_burst: sending 1 + %d datagrams\n", count);
    fflush(stdout);
    for (int i = 0; i <= count; ++i) {
        char text[32];
        int length = snprintf(text, sizeof(text), "burst %d", i);
        if (sendto(fd, text, (size_t)length, 0, (struct sockaddr*)&to, sizeof(to)) != length) {
            perror("udp_burst: sendto");
            return 1;
        }
        if (i == 0)
            nanosleep(&(struct timespec) { .tv_nsec = 200 * 1000 * 1000 }, NULL);
    }
    _exit(0);
}
