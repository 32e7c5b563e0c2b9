// Boot test: Linux native AIO (io_setup, io_submit, io_getevents, io_destroy) with
// IOCB_FLAG_RESFD, on a /tmp file: a write, an fsync and a read of what was written.
#include <fcntl.h>
#include <linux/aio_abi.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
    aio_context_t context = 0;
    if (syscall(SYS_io_setup, 8, &context) != 0) {
        perror("io_setup");
        return 1;
    }
    int fd = open("/tmp/aio-file", O_RDWR | O_CREAT, 0644);
    int efd = eventfd(0, EFD_NONBLOCK);
    static char out[8192], in[8192];
    for (int i = 0; i < 8192; i++)
        out[i] = (char)(i * 7);
    struct iocb write_request = { .aio_data = 1, .aio_lio_opcode = IOCB_CMD_PWRITE, .aio_fildes = fd,
        .aio_buf = (uint64_t)out, .aio_nbytes = sizeof(out), .aio_offset = 4096, .aio_flags = IOCB_FLAG_RESFD,
        .aio_resfd = efd };
    struct iocb sync_request = { .aio_data = 2, .aio_lio_opcode = IOCB_CMD_FSYNC, .aio_fildes = fd };
    struct iocb read_request = { .aio_data = 3, .aio_lio_opcode = IOCB_CMD_PREAD, .aio_fildes = fd,
        .aio_buf = (uint64_t)in, .aio_nbytes = sizeof(in), .aio_offset = 4096, .aio_flags = IOCB_FLAG_RESFD,
        .aio_resfd = efd };
    struct iocb* requests[] = { &write_request, &sync_request, &read_request };
    long submitted = syscall(SYS_io_submit, context, 3, requests);
    struct io_event events[4];
    long completed = syscall(SYS_io_getevents, context, 3, 4, events, NULL);
    long long result[4] = { -1, -1, -1, -1 };
    for (long i = 0; i < completed; i++)
        if (events[i].data < 4)
            result[events[i].data] = (long long)events[i].res;
    uint64_t signals = 0;
    read(efd, &signals, sizeof(signals));
    printf("aio: submitted %ld, completed %ld, write %lld, fsync %lld, read %lld, eventfd %llu, data %s\n", submitted,
        completed, result[1], result[2], result[3], (unsigned long long)signals,
        memcmp(in, out, sizeof(in)) == 0 ? "matches" : "differs");
    struct iocb bad = { .aio_lio_opcode = 99, .aio_fildes = fd };
    struct iocb* bad_list[] = { &bad };
    printf("aio: unknown opcode refused: %s\n", syscall(SYS_io_submit, context, 1, bad_list) < 0 ? "yes" : "no");
    printf("aio: destroy %ld\n", syscall(SYS_io_destroy, context));
    return 0;
}
