// Boot test: Linux native AIO on /dev/vda, many requests on the device at once.
//
//   aio_disk          the checks (the boot test asserts the lines it prints)
//   aio_disk bench N  4 KiB random reads: blocking pread, AIO one in flight and 32 in
//                     flight, N of each, three rounds;
//                     prints the rates (measured, never asserted)
//
// The disk must be at least 64 MiB and writable.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/aio_abi.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define WRITES 32
#define DISK_SIZE (64u << 20)

static long io_setup(unsigned n, aio_context_t* context) { return syscall(SYS_io_setup, n, context); }
static long io_submit(aio_context_t c, long n, struct iocb** list) { return syscall(SYS_io_submit, c, n, list); }
static long io_getevents(aio_context_t c, long min, long max, struct io_event* e, struct timespec* t)
{
    return syscall(SYS_io_getevents, c, min, max, e, t);
}
static long io_cancel(aio_context_t c, struct iocb* iocb, struct io_event* e) { return syscall(SYS_io_cancel, c, iocb, e); }
static long io_destroy(aio_context_t c) { return syscall(SYS_io_destroy, c); }

static const char* errno_text(long r) { return r == 0 ? "0" : r > 0 ? "positive" : strerrorname_np(errno); }

// The disk file outlives the run: a seed drawn at every run keeps data left by an
// earlier one from passing for this one's writes.
static unsigned g_seed;
static unsigned char byte_at(unsigned request, size_t i)
{
    return (unsigned char)(g_seed + request * 53 + i * 11 + (i >> 9));
}

// Scattered, non-overlapping, sector-aligned offsets across the 64 MiB disk.
static uint64_t offset_of(unsigned i) { return (uint64_t)((i * 7919u) % 2048u) * 32768u + (i % 4) * 512u; }
static size_t length_of(unsigned i) { return 4096 + (i % 3) * 4096 + (i % 2) * 512; }

static double seconds_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void prepare(struct iocb* iocb, int opcode, int fd, void* buffer, size_t length, uint64_t offset, uint64_t data,
    int efd)
{
    memset(iocb, 0, sizeof(*iocb));
    iocb->aio_lio_opcode = opcode;
    iocb->aio_fildes = fd;
    iocb->aio_buf = (uint64_t)buffer;
    iocb->aio_nbytes = length;
    iocb->aio_offset = offset;
    iocb->aio_data = data;
    if (efd >= 0) {
        iocb->aio_flags = IOCB_FLAG_RESFD;
        iocb->aio_resfd = efd;
    }
}

// Random 4 KiB reads keeping `depth` in flight; returns reads per second.
static double random_reads(aio_context_t context, int fd, int depth, int count)
{
    static char buffers[32][4096] __attribute__((aligned(4096)));
    struct iocb iocbs[32], *list[32];
    struct io_event events[32];
    unsigned seed = 12345;
    int issued = 0, done = 0, in_flight = 0;
    double start = seconds_now();
    while (done < count) {
        int n = 0;
        while (in_flight + n < depth && issued + n < count) {
            seed = seed * 1103515245u + 12345u;
            int slot = (issued + n) % depth;
            prepare(&iocbs[slot], IOCB_CMD_PREAD, fd, buffers[slot], 4096, (uint64_t)(seed % (DISK_SIZE / 4096)) * 4096,
                0, -1);
            list[n++] = &iocbs[slot];
        }
        if (n > 0 && io_submit(context, n, list) != n) {
            perror("bench io_submit");
            exit(1);
        }
        issued += n;
        in_flight += n;
        long got = io_getevents(context, 1, 32, events, NULL);
        for (long i = 0; i < got; i++) {
            if (events[i].res != 4096) {
                printf("aio-bench: read failed: %lld\n", (long long)events[i].res);
                exit(1);
            }
        }
        in_flight -= (int)got;
        done += (int)got;
    }
    return count / (seconds_now() - start);
}

static double median3(double a, double b, double c)
{
    return a > b ? (b > c ? b : (a > c ? c : a)) : (a > c ? a : (b > c ? c : b));
}

static double blocking_reads(int fd, int count)
{
    static char buffer[4096];
    unsigned seed = 777;
    double start = seconds_now();
    for (int i = 0; i < count; i++) {
        seed = seed * 1103515245u + 12345u;
        if (pread(fd, buffer, 4096, (off_t)(seed % (DISK_SIZE / 4096)) * 4096) != 4096) {
            perror("bench pread");
            exit(1);
        }
    }
    return count / (seconds_now() - start);
}

// Three rounds of the three ways, interleaved so a busy host slows them alike; the
// median of each is printed.
static int bench(int count)
{
    int fd = open("/dev/vda", O_RDONLY);
    aio_context_t context = 0;
    if (fd < 0 || io_setup(64, &context) != 0) {
        perror("bench setup");
        return 1;
    }
    double rate[3][3];
    for (int round = 0; round < 3; round++) {
        rate[0][round] = blocking_reads(fd, count);
        rate[1][round] = random_reads(context, fd, 1, count);
        rate[2][round] = random_reads(context, fd, 32, count);
    }
    double sync = median3(rate[0][0], rate[0][1], rate[0][2]);
    double one = median3(rate[1][0], rate[1][1], rate[1][2]);
    double many = median3(rate[2][0], rate[2][1], rate[2][2]);
    printf("aio-bench: 4 KiB random reads on a 64 MiB disk, median of 3 rounds of %d: pread %.0f/s, aio depth 1 "
           "%.0f/s, aio depth 32 %.0f/s (x%.2f over depth 1)\n",
        count, sync, one, many, many / one);
    io_destroy(context);
    return 0;
}

int main(int argc, char** argv)
{
    if (argc > 2 && strcmp(argv[1], "bench") == 0)
        return bench(atoi(argv[2]));

    getrandom(&g_seed, sizeof(g_seed), 0);
    int fd = open("/dev/vda", O_RDWR);
    int efd = eventfd(0, EFD_NONBLOCK);
    int epfd = epoll_create1(0);
    aio_context_t context = 0;
    if (fd < 0 || efd < 0 || epfd < 0 || io_setup(128, &context) != 0) {
        perror("aio-disk: setup");
        return 1;
    }
    struct epoll_event watch = { .events = EPOLLIN, .data.u64 = 42 };
    epoll_ctl(epfd, EPOLL_CTL_ADD, efd, &watch);
    struct epoll_event woke;
    printf("aio-disk: epoll before any request: %d\n", epoll_wait(epfd, &woke, 1, 0));

    // 32 writes at scattered offsets in one io_submit; every fourth is a PWRITEV of two
    // pieces whose lengths are not sector multiples on their own.
    static unsigned char out[WRITES][12800], in[WRITES][12800];
    static struct iocb iocbs[WRITES];
    struct iovec vectors[WRITES][2];
    struct iocb* list[WRITES];
    for (unsigned i = 0; i < WRITES; i++) {
        for (size_t j = 0; j < length_of(i); j++)
            out[i][j] = byte_at(i, j);
        if (i % 4 == 3) {
            vectors[i][0] = (struct iovec) { out[i], 1000 };
            vectors[i][1] = (struct iovec) { out[i] + 1000, length_of(i) - 1000 };
            prepare(&iocbs[i], IOCB_CMD_PWRITEV, fd, vectors[i], 2, offset_of(i), i, efd);
        } else {
            prepare(&iocbs[i], IOCB_CMD_PWRITE, fd, out[i], length_of(i), offset_of(i), i, efd);
        }
        list[i] = &iocbs[i];
    }
    long submitted = io_submit(context, WRITES, list);
    int ready = epoll_wait(epfd, &woke, 1, 10000);
    printf("aio-disk: submitted %ld writes in one call; epoll woke: %d, data %llu\n", submitted, ready,
        ready == 1 ? (unsigned long long)woke.data.u64 : 0ULL);

    struct io_event events[WRITES + 1];
    int seen[WRITES] = { 0 }, bad_result = 0, bad_object = 0;
    long completed = 0;
    while (completed < WRITES) {
        long n = io_getevents(context, 1, WRITES + 1, events, NULL);
        if (n <= 0)
            break;
        for (long k = 0; k < n; k++) {
            unsigned i = (unsigned)events[k].data;
            if (i >= WRITES || seen[i]++) {
                bad_object++;
                continue;
            }
            bad_result += events[k].res != (long long)length_of(i);
            bad_object += events[k].obj != (uint64_t)&iocbs[i];
        }
        completed += n;
    }
    uint64_t signals = 0;
    read(efd, &signals, sizeof(signals));
    printf("aio-disk: %ld events, wrong results %d, wrong objects %d, eventfd count %llu\n", completed, bad_result,
        bad_object, (unsigned long long)signals);

    // Read everything back asynchronously (every third as a PREADV), waiting for all 32
    // in one io_getevents.
    for (unsigned i = 0; i < WRITES; i++) {
        if (i % 3 == 1) {
            vectors[i][0] = (struct iovec) { in[i], 777 };
            vectors[i][1] = (struct iovec) { in[i] + 777, length_of(i) - 777 };
            prepare(&iocbs[i], IOCB_CMD_PREADV, fd, vectors[i], 2, offset_of(i), i, efd);
        } else {
            prepare(&iocbs[i], IOCB_CMD_PREAD, fd, in[i], length_of(i), offset_of(i), i, efd);
        }
    }
    submitted = io_submit(context, WRITES, list);
    completed = io_getevents(context, WRITES, WRITES, events, NULL);
    int bad_read = 0, differ = 0;
    for (long k = 0; k < completed; k++)
        bad_read += events[k].res != (long long)length_of((unsigned)events[k].data);
    for (unsigned i = 0; i < WRITES; i++) {
        differ += memcmp(in[i], out[i], length_of(i)) != 0;
        // And through the blocking path, which shares nothing with the AIO one.
        static unsigned char check[12800];
        differ += pread(fd, check, length_of(i), (off_t)offset_of(i)) != (ssize_t)length_of(i)
            || memcmp(check, out[i], length_of(i)) != 0;
    }
    read(efd, &signals, sizeof(signals));
    printf("aio-disk: read back %ld of %ld, wrong results %d, buffers differing %d, eventfd count %llu\n", completed,
        submitted, bad_read, differ, (unsigned long long)signals);

    // A flush, and an unaligned write (completed inside io_submit).
    static char tail[100];
    memset(tail, 'k', sizeof(tail));
    struct iocb flush, unaligned;
    prepare(&flush, IOCB_CMD_FSYNC, fd, NULL, 0, 0, 100, -1);
    prepare(&unaligned, IOCB_CMD_PWRITE, fd, tail, sizeof(tail), 1000003, 101, -1);
    struct iocb* pair[] = { &flush, &unaligned };
    submitted = io_submit(context, 2, pair);
    completed = io_getevents(context, 2, 2, events, NULL);
    long long flush_result = -1, unaligned_result = -1;
    for (long k = 0; k < completed; k++)
        *(events[k].data == 100 ? &flush_result : &unaligned_result) = events[k].res;
    char back[100] = { 0 };
    pread(fd, back, sizeof(back), 1000003);
    printf("aio-disk: fsync %lld, unaligned write %lld, read back %s\n", flush_result, unaligned_result,
        memcmp(back, tail, sizeof(tail)) == 0 ? "matches" : "differs");

    // io_cancel: a request on the device cannot be withdrawn (EAGAIN); one still waiting
    // in the kernel can (EINPROGRESS, and its event says ECANCELED); a finished one is
    // unknown (EINVAL). The first of 80 reads is 16 MiB (256 windows, 64 at a time on
    // the device), so the others likely wait behind it; but which answer each gets
    // depends on how fast the device is, so the check is that each answer agrees with
    // the request's event, and that every request has exactly one event.
    static char scratch[80][4096], big[16 << 20];
    static struct iocb many[80];
    struct iocb* many_list[80];
    for (int i = 0; i < 80; i++) {
        prepare(&many[i], IOCB_CMD_PREAD, fd, scratch[i], 4096, (uint64_t)i * 4096, 1000 + i, -1);
        many_list[i] = &many[i];
    }
    prepare(&many[0], IOCB_CMD_PREAD, fd, big, sizeof(big), 0, 1000, -1);
    submitted = io_submit(context, 80, many_list);
    struct io_event ignored;
    int cancel_errno[2];
    for (int k = 0; k < 2; k++)
        cancel_errno[k] = io_cancel(context, &many[k ? 79 : 0], &ignored) < 0 ? errno : 0;
    static struct io_event all[81];
    completed = io_getevents(context, 80, 81, all, NULL);
    int events_of[80] = { 0 }, consistent = 1;
    for (long k = 0; k < completed; k++) {
        unsigned i = (unsigned)(all[k].data - 1000);
        if (i >= 80 || events_of[i]++) {
            consistent = 0;
            continue;
        }
        int cancelled = (i == 0 && cancel_errno[0] == EINPROGRESS) || (i == 79 && cancel_errno[1] == EINPROGRESS);
        consistent &= cancelled ? all[k].res == -ECANCELED : all[k].res == (i == 0 ? (long long)sizeof(big) : 4096);
    }
    for (int k = 0; k < 2; k++)
        consistent &= cancel_errno[k] == EINPROGRESS || cancel_errno[k] == EAGAIN || cancel_errno[k] == EINVAL;
    printf("aio-disk: %ld submitted, %ld events, cancels agree with the events: %s (first %s, last %s)\n", submitted,
        completed, consistent ? "yes" : "no", strerrorname_np(cancel_errno[0]), strerrorname_np(cancel_errno[1]));
    struct iocb stranger;
    prepare(&stranger, IOCB_CMD_PREAD, fd, scratch[0], 4096, 0, 0, -1);
    printf("aio-disk: cancel of a request never submitted: %s\n",
        io_cancel(context, &stranger, &ignored) < 0 ? strerrorname_np(errno) : "0");

    // Refusals at submit: a write on a descriptor opened read-only; a context that is full
    // (in flight plus unreaped events).
    int ro = open("/dev/vda", O_RDONLY);
    struct iocb write_ro;
    prepare(&write_ro, IOCB_CMD_PWRITE, ro, out[0], 4096, 0, 200, -1);
    struct iocb* one[] = { &write_ro };
    long r = io_submit(context, 1, one);
    printf("aio-disk: write on a read-only descriptor: %s; ", errno_text(r));
    aio_context_t small = 0;
    io_setup(1, &small);
    long first = io_submit(small, 2, many_list);
    long again = io_submit(small, 1, many_list);
    printf("a context of 1: took %ld of 2, then %s; ", first, errno_text(again));
    io_destroy(small);
    aio_context_t huge = 0;
    printf("65536 more events: %s\n", errno_text(io_setup(65536, &huge)));

    // With nothing in flight, io_getevents waits out its timeout (never less).
    struct timespec timeout = { 0, 30 * 1000 * 1000 };
    double before = seconds_now();
    long none = io_getevents(context, 1, 1, events, &timeout);
    printf("aio-disk: nothing in flight, 30 ms timeout: %ld events, waited >= 30 ms: %s\n", none,
        seconds_now() - before >= 0.030 ? "yes" : "no");

    // io_destroy with requests in flight waits for them.
    for (int i = 0; i < 16; i++)
        prepare(&many[i], IOCB_CMD_PREAD, fd, scratch[i], 4096, (uint64_t)i * 65536, i, -1);
    submitted = io_submit(context, 16, many_list);
    printf("aio-disk: destroy with %ld in flight: %ld\n", submitted, io_destroy(context));
    return 0;
}
