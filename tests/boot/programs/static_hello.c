// Boot test: a statically linked C program (no ld.so, no shared libraries). Exercises
// argv, envp, the heap (brk/mmap), the clock, reading a file from the root and the exit
// status. Prints one line per check so the test can match them.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(int argc, char** argv)
{
    printf("static: argc=%d argv[1]=%s\n", argc, argc > 1 ? argv[1] : "(none)");
    printf("static: KILN_TEST=%s\n", getenv("KILN_TEST") ? getenv("KILN_TEST") : "(unset)");

    size_t size = 8 << 20;
    unsigned char* block = malloc(size);
    if (!block)
        return 2;
    memset(block, 0x5a, size);
    unsigned long sum = 0;
    for (size_t i = 0; i < size; i += 4096)
        sum += block[i];
    printf("static: malloc 8 MiB ok, sum=%lu\n", sum);
    free(block);

    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    printf("static: realtime after 2020: %s\n", t.tv_sec > 1577836800 ? "yes" : "no");

    struct timespec before, after, nap = { 0, 50 * 1000 * 1000 };
    clock_gettime(CLOCK_MONOTONIC, &before);
    nanosleep(&nap, NULL);
    clock_gettime(CLOCK_MONOTONIC, &after);
    long slept_ns = (after.tv_sec - before.tv_sec) * 1000000000L + (after.tv_nsec - before.tv_nsec);
    printf("static: nanosleep 50 ms lasted at least 50 ms: %s\n", slept_ns >= 50000000L ? "yes" : "no");

    FILE* f = fopen(argv[0], "rb");
    unsigned char magic[4] = { 0 };
    if (!f || fread(magic, 1, 4, f) != 4)
        return 3;
    fclose(f);
    printf("static: own ELF magic %s\n", memcmp(magic, "\177ELF", 4) == 0 ? "ok" : "bad");

    if (argc > 2 && strcmp(argv[2], "crash") == 0) {
        volatile int* null_pointer = NULL;
        *null_pointer = 1;
    }
    if (argc > 2 && strcmp(argv[2], "oom") == 0) {
        // More than the guest has: touching it must end in the out-of-memory report.
        size_t huge = (size_t)1 << 30;
        unsigned char* p = malloc(huge);
        if (!p)
            return 4;
        for (size_t i = 0; i < huge; i += 4096)
            p[i] = 1;
        printf("static: touched 1 GiB?\n");
    }
    return 42;
}
