// Linux native AIO: io_setup, io_submit, io_getevents, io_cancel, io_destroy, with
// IOCB_FLAG_RESFD to signal an eventfd, for PREAD/PWRITE/PREADV/PWRITEV/FSYNC/FDSYNC on
// any file (disks, /tmp files, the root image).
//
// FIXME: each request runs to completion inside io_submit (the disk is driven and the
// CPU halts until it answers), so requests do not overlap on the device. This is what
// Linux does for files not opened O_DIRECT, and the results and events are exact; the
// cost is that io_submit takes as long as the I/O. Overlapping requests on virtio-blk's
// queue is the next step.

#include "fs/event_files.h"
#include "fs/fd_table.h"
#include "fs/open_flags.h"
#include "lib/kalloc.h"
#include "linux/syscall.h"
#include "mm/vma.h"
#include "proc/process_memory.h"

namespace kiln {
namespace {

constexpr uint16_t IOCB_CMD_PREAD = 0, IOCB_CMD_PWRITE = 1, IOCB_CMD_FSYNC = 2, IOCB_CMD_FDSYNC = 3,
                   IOCB_CMD_PREADV = 7, IOCB_CMD_PWRITEV = 8;
constexpr uint32_t IOCB_FLAG_RESFD = 1;
constexpr uint32_t MAX_EVENTS = 65536;

struct Iocb {
    uint64_t data;
    uint32_t key;
    uint32_t rw_flags;
    uint16_t opcode;
    int16_t priority;
    uint32_t fd;
    uint64_t buffer;
    uint64_t length;
    int64_t offset;
    uint64_t reserved;
    uint32_t flags;
    uint32_t resfd;
};
static_assert(sizeof(Iocb) == 64);

struct IoEvent {
    uint64_t data;
    uint64_t object;
    int64_t result;
    int64_t result2;
};
static_assert(sizeof(IoEvent) == 32);

struct IoVector {
    uint64_t base;
    uint64_t length;
};

// One context: its user-visible id is the address of a page mapped in the process (as
// Linux's ring). The page stays zero, so libaio's user-space fast path (which checks for
// the ring's magic number) falls back to io_getevents.
struct AioContext {
    uint64_t id;
    uint32_t capacity;
    uint32_t count;
    uint32_t head;
    IoEvent* events;
    AioContext* next;
};

AioContext* g_contexts = nullptr;

AioContext* find(uint64_t id)
{
    for (AioContext* c = g_contexts; c; c = c->next) {
        if (c->id == id)
            return c;
    }
    return nullptr;
}

Result<int64_t> sys_io_setup(const SyscallArgs& a)
{
    uint32_t nr = static_cast<uint32_t>(a.a0);
    if (nr == 0 || nr > MAX_EVENTS)
        return Errno::INVAL;
    TRY(uint64_t existing, read_user<uint64_t>(a.user(a.a1)));
    if (existing != 0)
        return Errno::INVAL;
    mm::MapRequest ring;
    ring.length = 4096;
    ring.prot = mm::LINUX_PROT_READ;
    ring.flags = mm::LINUX_MAP_PRIVATE | mm::LINUX_MAP_ANONYMOUS;
    TRY(uint64_t id, memory_mmap(ring));
    auto* context = static_cast<AioContext*>(kalloc(sizeof(AioContext)));
    auto* events = static_cast<IoEvent*>(kalloc(sizeof(IoEvent) * nr));
    if (!context || !events) {
        kfree(context);
        kfree(events);
        (void)memory_munmap(id, 4096);
        return Errno::AGAIN;  // Linux: EAGAIN when nr exceeds what can be allocated
    }
    *context = AioContext { id, nr, 0, 0, events, g_contexts };
    g_contexts = context;
    if (auto r = write_user(a.user(a.a1), id); r.is_error()) {
        g_contexts = context->next;
        kfree(events);
        kfree(context);
        (void)memory_munmap(id, 4096);
        return r.error();
    }
    return 0;
}

Result<int64_t> sys_io_destroy(const SyscallArgs& a)
{
    for (AioContext** link = &g_contexts; *link; link = &(*link)->next) {
        if ((*link)->id == a.a0) {
            AioContext* context = *link;
            *link = context->next;
            (void)memory_munmap(context->id, 4096);
            kfree(context->events);
            kfree(context);
            return 0;
        }
    }
    return Errno::INVAL;
}

// Runs one request; the result is what the event reports (bytes or -errno).
int64_t execute(const Iocb& iocb)
{
    auto file = fd_table().get(static_cast<int>(iocb.fd));
    if (file.is_error())
        return -static_cast<int64_t>(Errno::BADF);
    File* f = file.value();
    bool is_write = iocb.opcode == IOCB_CMD_PWRITE || iocb.opcode == IOCB_CMD_PWRITEV;
    if (iocb.opcode == IOCB_CMD_FSYNC || iocb.opcode == IOCB_CMD_FDSYNC) {
        auto r = f->sync();
        return r.is_error() ? -static_cast<int64_t>(r.error()) : 0;
    }
    if (is_write ? !open_for_writing(f->status_flags) : (f->status_flags & O_ACCMODE_MASK) == O_WRITE_ONLY)
        return -static_cast<int64_t>(Errno::BADF);
    if (iocb.offset < 0)
        return -static_cast<int64_t>(Errno::INVAL);
    auto transfer = [&](uint64_t buffer, uint64_t length, uint64_t offset) -> Result<size_t> {
        IoBuffer io = IoBuffer::user(UserAddress { buffer }, length);
        return is_write ? f->write(offset, io) : f->read(offset, io);
    };
    if (iocb.opcode == IOCB_CMD_PREAD || iocb.opcode == IOCB_CMD_PWRITE) {
        auto n = transfer(iocb.buffer, iocb.length, static_cast<uint64_t>(iocb.offset));
        return n.is_error() ? -static_cast<int64_t>(n.error()) : static_cast<int64_t>(n.value());
    }
    // PREADV/PWRITEV: buffer is an iovec array, length its count.
    if (iocb.length > 1024)
        return -static_cast<int64_t>(Errno::INVAL);
    int64_t total = 0;
    for (uint64_t i = 0; i < iocb.length; ++i) {
        auto v = read_user<IoVector>(UserAddress { iocb.buffer + i * sizeof(IoVector) });
        if (v.is_error())
            return total > 0 ? total : -static_cast<int64_t>(Errno::FAULT);
        auto n = transfer(v->base, v->length, static_cast<uint64_t>(iocb.offset + total));
        if (n.is_error())
            return total > 0 ? total : -static_cast<int64_t>(n.error());
        total += static_cast<int64_t>(n.value());
        if (n.value() < v->length)
            break;
    }
    return total;
}

void signal_eventfd(uint32_t fd)
{
    auto file = fd_table().get(static_cast<int>(fd));
    if (file.is_error())
        return;
    uint64_t one = 1;
    (void)file.value()->write(0, IoBuffer::kernel(&one, sizeof(one)));
}

Result<int64_t> sys_io_submit(const SyscallArgs& a)
{
    AioContext* context = find(a.a0);
    if (!context)
        return Errno::INVAL;
    int64_t nr = static_cast<int64_t>(a.a1);
    if (nr < 0)
        return Errno::INVAL;
    int64_t submitted = 0;
    for (; submitted < nr; ++submitted) {
        auto pointer = read_user<uint64_t>(UserAddress { a.a2 + static_cast<uint64_t>(submitted) * 8 });
        if (pointer.is_error())
            return submitted > 0 ? Result<int64_t>(submitted) : Result<int64_t>(pointer.error());
        auto iocb = read_user<Iocb>(UserAddress { pointer.value() });
        if (iocb.is_error())
            return submitted > 0 ? Result<int64_t>(submitted) : Result<int64_t>(iocb.error());
        // Requests the call refuses outright end the batch (Linux returns how many it took
        // or, for the first, the error).
        Errno refusal = Errno::PERM;
        bool refused = false;
        if (iocb->opcode != IOCB_CMD_PREAD && iocb->opcode != IOCB_CMD_PWRITE && iocb->opcode != IOCB_CMD_FSYNC
            && iocb->opcode != IOCB_CMD_FDSYNC && iocb->opcode != IOCB_CMD_PREADV && iocb->opcode != IOCB_CMD_PWRITEV) {
            refusal = Errno::INVAL;
            refused = true;
        } else if (iocb->flags & ~IOCB_FLAG_RESFD || iocb->reserved != 0) {
            refusal = Errno::INVAL;
            refused = true;
        } else if (fd_table().get(static_cast<int>(iocb->fd)).is_error()) {
            refusal = Errno::BADF;
            refused = true;
        } else if (context->count == context->capacity) {
            refusal = Errno::AGAIN;
            refused = true;
        }
        if (refused)
            return submitted > 0 ? Result<int64_t>(submitted) : Result<int64_t>(refusal);
        int64_t result = execute(iocb.value());
        uint32_t slot = (context->head + context->count) % context->capacity;
        context->events[slot] = IoEvent { iocb->data, pointer.value(), result, 0 };
        ++context->count;
        if (iocb->flags & IOCB_FLAG_RESFD)
            signal_eventfd(iocb->resfd);
    }
    return submitted;
}

Result<int64_t> sys_io_getevents(const SyscallArgs& a)
{
    AioContext* context = find(a.a0);
    if (!context)
        return Errno::INVAL;
    int64_t min_nr = static_cast<int64_t>(a.a1), nr = static_cast<int64_t>(a.a2);
    if (min_nr < 0 || nr < 0 || min_nr > nr)
        return Errno::INVAL;
    // Every submitted request has already completed (see the top of this file), so
    // there is nothing to wait for: waiting for more than are queued would wait forever.
    int64_t n = 0;
    while (n < nr && context->count > 0) {
        TRY_VOID(write_user(UserAddress { a.a3 + static_cast<uint64_t>(n) * sizeof(IoEvent) },
            context->events[context->head]));
        context->head = (context->head + 1) % context->capacity;
        --context->count;
        ++n;
    }
    return n;
}

Result<int64_t> sys_io_pgetevents(const SyscallArgs& a) { return sys_io_getevents(a); }

// Requests complete inside io_submit, so by the time anyone can cancel one it is done.
Result<int64_t> sys_io_cancel(const SyscallArgs& a)
{
    if (!find(a.a0))
        return Errno::INVAL;
    return Errno::INVAL;
}

const SyscallEntry ENTRIES[] = {
    { 206, sys_io_setup },
    { 207, sys_io_destroy },
    { 208, sys_io_getevents },
    { 209, sys_io_submit },
    { 210, sys_io_cancel },
    { 333, sys_io_pgetevents },
};

}  // namespace

SyscallFamily aio_syscalls() { return { ENTRIES, sizeof(ENTRIES) / sizeof(ENTRIES[0]) }; }

}  // namespace kiln
