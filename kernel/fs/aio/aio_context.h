#pragma once

// Linux AIO contexts: the objects behind io_setup, io_submit, io_getevents, io_cancel
// and io_destroy (linux/sys_aio.cpp only copies arguments in and calls these). Kernel
// only.
//
// Sector-aligned reads and writes (offset and total length multiples of 512) and
// flushes on a /dev/vdX disk go to the disk's BlockQueue and complete later, many on
// the device at once. Everything else (unaligned ranges, /tmp and root files) runs to
// completion inside io_submit, as Linux does for files not opened O_DIRECT. Either way
// the event goes to the context's ring and, with IOCB_FLAG_RESFD, the eventfd is
// signalled (which wakes epoll and poll waiters).
//
// Completions are collected by aio_service(), a wait-loop service: at every kernel
// wait point, after device interrupts that arrive in user mode, and on entry to
// io_getevents, epoll_wait, poll and eventfd reads.

#include <stdint.h>

#include "fs/aio/aio_abi.h"
#include "fs/aio/event_ring.h"
#include "lib/result.h"
#include "linux/user_memory.h"

namespace kiln {
class File;
}

namespace kiln::aio {

struct Request;

class Context {
public:
    uint64_t id() const { return m_id; }

    // One iocb (already copied in from `user_iocb`). An error refuses the request: it
    // is not submitted and no event will come (io_submit reports it for the first
    // request of a batch, else stops the batch there). Disk requests reach the device
    // at kick_queues(), once per batch.
    Result<void> submit(const Iocb& iocb, uint64_t user_iocb);

    // Waits (halting the CPU) until at least `min_nr` events are ready or the deadline
    // (monotonic ns, WAIT_FOREVER) passes, then copies up to `nr` to `out`.
    Result<int64_t> get_events(uint32_t min_nr, uint32_t nr, UserAddress out, uint64_t deadline);

    // io_cancel: INPROGRESS when the request had not reached the device (its event,
    // res -ECANCELED, is in the ring), AGAIN when it is on the device (it will complete
    // normally), INVAL when no such request is in flight.
    Errno cancel(uint64_t user_iocb);

private:
    friend Result<uint64_t> context_create(uint32_t nr_events);
    friend Context* context_find(uint64_t id);
    friend Result<void> context_destroy(uint64_t id);
    friend void complete_request(Request& request, int64_t result);

    void post(uint64_t data, uint64_t user_iocb, int64_t result, File* resfd);
    bool has_requests() const { return m_requests != nullptr; }

    uint64_t m_id = 0;
    EventRing m_ring;
    IoEvent* m_events = nullptr;
    Request* m_requests = nullptr; // in flight on a disk queue
    Context* m_next = nullptr;
};

// io_setup: a context for `nr_events` (1.., at most 65,536 over all contexts: EAGAIN
// beyond, as Linux's aio-max-nr); returns its id (the address of a page mapped in the
// process, as Linux's ring; it stays zero so libaio uses the system call).
Result<uint64_t> context_create(uint32_t nr_events);
Context* context_find(uint64_t id);
// io_destroy: withdraws requests that have not reached the device, waits for the others
// (as Linux does) and frees the context.
Result<void> context_destroy(uint64_t id);

// Shows every disk the requests submitted since the last call (the end of io_submit).
void kick_queues();

// Collects finished device requests on every disk and starts waiting ones. Main
// context; registered with wait_add_service().
void aio_service();
// Whether any disk request is in flight (an eventfd may still be signalled).
bool aio_busy();

} // namespace kiln::aio
