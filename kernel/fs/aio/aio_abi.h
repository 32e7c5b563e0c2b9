#pragma once

// Linux native AIO as user space sees it (include/uapi/linux/aio_abi.h, uio.h): the
// request block, the completion event and the iovec. Portable.

#include <stdint.h>

namespace kiln::aio {

enum class Opcode : uint16_t { Pread = 0, Pwrite = 1, Fsync = 2, Fdsync = 3, Preadv = 7, Pwritev = 8 };

inline constexpr uint32_t IOCB_FLAG_RESFD = 1;
// UIO_MAXIOV: the most iovecs one vectored request may carry.
inline constexpr uint64_t MAX_IO_VECTORS = 1024;

struct Iocb {
    uint64_t data;
    uint32_t key; // Linux writes KIOCB_KEY (0) here at submit; io_cancel checks it
    uint32_t rw_flags;
    uint16_t opcode;
    int16_t priority;
    uint32_t fd;
    uint64_t buffer; // PREADV/PWRITEV: the iovec array
    uint64_t length; // PREADV/PWRITEV: the iovec count
    int64_t offset;
    uint64_t reserved;
    uint32_t flags;
    uint32_t resfd;
};
static_assert(sizeof(Iocb) == 64);

struct IoEvent {
    uint64_t data;   // the iocb's data
    uint64_t object; // the user address of the iocb
    int64_t result;  // bytes transferred or -errno
    int64_t result2;
};
static_assert(sizeof(IoEvent) == 32);

struct IoVector {
    uint64_t base;
    uint64_t length;
};
static_assert(sizeof(IoVector) == 16);

} // namespace kiln::aio
