#include "fs/aio/aio_context.h"

#include "dev/console.h"
#include "dev/virtio/blk.h"
#include "dev/virtio/probe.h"
#include "fs/aio/block_queue.h"
#include "fs/block_device_file.h"
#include "fs/event_files.h"
#include "fs/fd_table.h"
#include "fs/open_flags.h"
#include "lib/kalloc.h"
#include "mm/vma.h"
#include "proc/process.h"
#include "proc/process_memory.h"
#include "time/wait.h"

namespace kiln::aio {

// A request's buffers: one for PREAD/PWRITE, a kernel copy of the iovec array for the
// vectored forms (Linux copies it at submit too), none for a flush.
struct Buffers {
    IoVector single {};
    IoVector* copied = nullptr; // kalloc'd
    uint32_t count = 0;
    uint64_t total = 0; // bytes

    const IoVector* list() const { return copied ? copied : &single; }
    void release()
    {
        kfree(copied);
        copied = nullptr;
    }
};

// One request on a disk queue, from io_submit until its event is posted.
struct Request {
    BlockIo io;
    Context* context = nullptr;
    uint64_t user_iocb = 0;
    uint64_t data = 0;
    File* resfd = nullptr; // a reference, held until the event is posted
    Buffers buffers;
    BlockQueue* queue = nullptr;
    Request* next = nullptr; // the context's in-flight list
};

namespace {

// Events over all live contexts, as Linux's fs.aio-max-nr (default 65536): io_setup
// beyond it says EAGAIN, which bounds the rings and the requests they admit.
constexpr uint32_t MAX_EVENTS = 65536;
constexpr uint64_t SECTOR = 512;
constexpr size_t MAX_DISKS = 26; // /dev/vda../dev/vdz

uint32_t g_events_in_use = 0;
Context* g_contexts = nullptr;
BlockQueue* g_queues[MAX_DISKS] = {}; // by disk index, made on first use

Result<void> store_user(uint64_t address, const void* source, size_t length)
{
    return copy_to_user(UserAddress { address }, source, length);
}

Result<void> load_user(void* destination, uint64_t address, size_t length)
{
    return copy_from_user(destination, UserAddress { address }, length);
}

// The disk's queue, made on first use; nullptr when the disk cannot be driven
// asynchronously or there is no memory (the request then runs synchronously).
BlockQueue* queue_for(BlockDeviceFile& file)
{
    if (file.index() >= MAX_DISKS || !BlockQueue::supports(*file.disk()))
        return nullptr;
    BlockQueue*& queue = g_queues[file.index()];
    if (!queue)
        queue = make<BlockQueue>(*file.disk(), virtio::dma_memory(), BufferAccess { store_user, load_user });
    return queue;
}

int64_t negative(Errno e) { return -static_cast<int64_t>(e); }

bool is_read(Opcode op) { return op == Opcode::Pread || op == Opcode::Preadv; }
bool is_vectored(Opcode op) { return op == Opcode::Preadv || op == Opcode::Pwritev; }
bool is_sync(Opcode op) { return op == Opcode::Fsync || op == Opcode::Fdsync; }

// A request run to completion now; the result is what the event reports.
int64_t execute(File& file, Opcode op, const IoVector* vectors, uint32_t count, uint64_t offset)
{
    if (is_sync(op)) {
        auto r = file.sync();
        return r.is_error() ? negative(r.error()) : 0;
    }
    int64_t total = 0;
    for (uint32_t i = 0; i < count; ++i) {
        IoBuffer io = IoBuffer::user(UserAddress { vectors[i].base }, vectors[i].length);
        uint64_t at = offset + static_cast<uint64_t>(total);
        auto n = is_read(op) ? file.read(at, io) : file.write(at, io);
        if (n.is_error())
            return total > 0 ? total : negative(n.error());
        total += static_cast<int64_t>(n.value());
        if (n.value() < vectors[i].length)
            break;
    }
    return total;
}

void free_request(Request* request)
{
    request->buffers.release();
    destroy(request);
}

Result<Buffers> read_buffers(const Iocb& iocb, Opcode op)
{
    Buffers buffers;
    if (is_sync(op))
        return buffers;
    if (!is_vectored(op)) {
        buffers.single = IoVector { iocb.buffer, iocb.length };
        buffers.count = 1;
    } else {
        if (iocb.length > MAX_IO_VECTORS)
            return Errno::INVAL;
        buffers.count = static_cast<uint32_t>(iocb.length);
        buffers.copied = static_cast<IoVector*>(kalloc(sizeof(IoVector) * (buffers.count ? buffers.count : 1)));
        if (!buffers.copied)
            return Errno::NOMEM;
        if (auto r = copy_from_user(buffers.copied, UserAddress { iocb.buffer }, sizeof(IoVector) * buffers.count);
            r.is_error()) {
            buffers.release();
            return r.error();
        }
    }
    for (uint32_t i = 0; i < buffers.count; ++i) {
        uint64_t length = buffers.list()[i].length;
        if (length > static_cast<uint64_t>(INT64_MAX) - buffers.total) {
            buffers.release();
            return Errno::INVAL;
        }
        buffers.total += length;
    }
    return buffers;
}

} // namespace

void Context::post(uint64_t data, uint64_t user_iocb, int64_t result, File* resfd)
{
    m_ring.post(IoEvent { data, user_iocb, result, 0 });
    if (resfd) {
        if (EventFd* eventfd = resfd->as_eventfd())
            eventfd->signal(1);
        resfd->release();
    }
}

// BlockIo::finished: the request's last window completed (from BlockQueue::poll()).
void complete_request(Request& request, int64_t result)
{
    Context& context = *request.context;
    for (Request** link = &context.m_requests; *link; link = &(*link)->next) {
        if (*link == &request) {
            *link = request.next;
            break;
        }
    }
    context.post(request.data, request.user_iocb, result, request.resfd);
    free_request(&request);
}

Result<void> Context::submit(const Iocb& iocb, uint64_t user_iocb)
{
    auto op = static_cast<Opcode>(iocb.opcode);
    if (op != Opcode::Pread && op != Opcode::Pwrite && op != Opcode::Fsync && op != Opcode::Fdsync
        && op != Opcode::Preadv && op != Opcode::Pwritev)
        return Errno::INVAL;
    if ((iocb.flags & ~IOCB_FLAG_RESFD) != 0 || iocb.reserved != 0)
        return Errno::INVAL;
    TRY(File * file, fd_table().get(static_cast<int>(iocb.fd)));
    if (is_sync(op)) {
        if (iocb.buffer != 0 || iocb.length != 0 || iocb.offset != 0 || iocb.rw_flags != 0)
            return Errno::INVAL;
    } else {
        // Linux checks the access mode and the offset at submit, not in the event.
        bool allowed = is_read(op) ? (file->status_flags & O_ACCMODE_MASK) != O_WRITE_ONLY
                                   : open_for_writing(file->status_flags);
        if (!allowed)
            return Errno::BADF;
        if (iocb.offset < 0)
            return Errno::INVAL;
    }
    File* resfd = nullptr;
    if (iocb.flags & IOCB_FLAG_RESFD) {
        TRY(resfd, fd_table().get(static_cast<int>(iocb.resfd)));
        if (!resfd->as_eventfd())
            return Errno::INVAL;
    }
    // io_submit writes KIOCB_KEY (0) into the iocb: io_cancel checks it later.
    TRY_VOID(write_user(UserAddress { user_iocb + offsetof(Iocb, key) }, uint32_t { 0 }));
    TRY(Buffers buffers, read_buffers(iocb, op));
    if (!m_ring.reserve()) {
        buffers.release();
        return Errno::AGAIN;
    }
    if (resfd)
        resfd->retain();

    // A flush or a sector-aligned range that starts on a disk: asynchronous. A range
    // running past the end is cut at the end, as Linux's block devices do.
    BlockDeviceFile* disk = file->as_block_device();
    auto offset = static_cast<uint64_t>(iocb.offset);
    BlockQueue* queue = disk ? queue_for(*disk) : nullptr;
    bool asynchronous = queue
        && (is_sync(op)
            || (offset % SECTOR == 0 && buffers.total % SECTOR == 0 && buffers.total > 0 && offset < disk->size()));
    Request* request = asynchronous ? make<Request>() : nullptr;
    if (!request) {
        int64_t result = execute(*file, op, buffers.list(), buffers.count, offset);
        buffers.release();
        post(iocb.data, user_iocb, result, resfd);
        return {};
    }
    request->context = this;
    request->user_iocb = user_iocb;
    request->data = iocb.data;
    request->resfd = resfd;
    request->buffers = buffers;
    request->queue = queue;
    BlockIo& io = request->io;
    io.kind = is_sync(op) ? BlockIoKind::Flush : is_read(op) ? BlockIoKind::Read : BlockIoKind::Write;
    io.offset = is_sync(op) ? 0 : offset;
    io.length = is_sync(op) ? 0 : (buffers.total < disk->size() - offset ? buffers.total : disk->size() - offset);
    io.vectors = request->buffers.list();
    io.vector_count = buffers.count;
    io.owner = request;
    io.finished = [](BlockIo* done, int64_t result) { complete_request(*static_cast<Request*>(done->owner), result); };
    request->next = m_requests;
    m_requests = request;
    queue->start(io, virtio::Kick::Later); // kick_queues() at the end of io_submit
    return {};
}

Result<int64_t> Context::get_events(uint32_t min_nr, uint32_t nr, UserAddress out, uint64_t deadline)
{
    aio_service();
    if (m_ring.ready() < min_nr && deadline != 0) {
        // One thread: events that are not in flight can never come.
        if (deadline == WAIT_FOREVER && m_ring.ready() + m_ring.in_flight() < min_nr) {
            kprintf("kiln: deadlock: io_getevents waits for %u events with %u ready and %u in flight, and no "
                    "other thread to submit more\n",
                min_nr, m_ring.ready(), m_ring.in_flight());
            process_killed_by_signal(6);
        }
        struct Wait {
            EventRing* ring;
            uint32_t wanted;
        } wait { &m_ring, min_nr };
        (void)wait_until(
            deadline, [](void* c) { return static_cast<Wait*>(c)->ring->ready() >= static_cast<Wait*>(c)->wanted; },
            &wait);
    }
    uint32_t n = 0;
    for (; n < nr && n < m_ring.ready(); ++n) {
        auto copied = write_user(UserAddress { out.value + n * sizeof(IoEvent) }, m_ring.peek(n));
        if (copied.is_error()) {
            if (n == 0)
                return copied.error();
            break;
        }
    }
    m_ring.drop(n);
    return n;
}

Errno Context::cancel(uint64_t user_iocb)
{
    for (Request** link = &m_requests; *link; link = &(*link)->next) {
        Request* request = *link;
        if (request->user_iocb != user_iocb)
            continue;
        if (!request->queue->cancel(request->io))
            return Errno::AGAIN;
        *link = request->next;
        post(request->data, request->user_iocb, negative(Errno::CANCELED), request->resfd);
        free_request(request);
        return Errno::INPROGRESS;
    }
    return Errno::INVAL;
}

Result<uint64_t> context_create(uint32_t nr_events)
{
    if (nr_events == 0)
        return Errno::INVAL;
    if (nr_events > MAX_EVENTS - g_events_in_use)
        return Errno::AGAIN;
    mm::MapRequest ring;
    ring.length = mm::PAGE_SIZE;
    ring.prot = mm::LINUX_PROT_READ;
    ring.flags = mm::LINUX_MAP_PRIVATE | mm::LINUX_MAP_ANONYMOUS;
    TRY(uint64_t id, memory_mmap(ring));
    auto* context = make<Context>();
    auto* events = static_cast<IoEvent*>(kalloc(sizeof(IoEvent) * nr_events));
    if (!context || !events) {
        destroy(context);
        kfree(events);
        (void)memory_munmap(id, mm::PAGE_SIZE);
        return Errno::AGAIN; // Linux: EAGAIN when nr_events exceeds what can be had
    }
    context->m_id = id;
    context->m_events = events;
    context->m_ring = EventRing(events, nr_events);
    context->m_next = g_contexts;
    g_contexts = context;
    g_events_in_use += nr_events;
    return id;
}

Context* context_find(uint64_t id)
{
    for (Context* c = g_contexts; c; c = c->m_next) {
        if (c->id() == id)
            return c;
    }
    return nullptr;
}

Result<void> context_destroy(uint64_t id)
{
    Context* context = nullptr;
    for (Context** link = &g_contexts; *link; link = &(*link)->m_next) {
        if ((*link)->id() == id) {
            context = *link;
            *link = context->m_next;
            break;
        }
    }
    if (!context)
        return Errno::INVAL;
    // Requests still waiting for the device are dropped; those on it must finish first:
    // the device writes into bounce pages whose completion refers to them.
    for (Request** link = &context->m_requests; *link;) {
        Request* request = *link;
        if (request->queue->cancel(request->io)) {
            *link = request->next;
            if (request->resfd)
                request->resfd->release();
            free_request(request);
        } else {
            link = &request->next;
        }
    }
    (void)wait_until(
        WAIT_FOREVER, [](void* c) { return !static_cast<Context*>(c)->has_requests(); }, context);
    (void)memory_munmap(context->m_id, mm::PAGE_SIZE);
    g_events_in_use -= context->m_ring.capacity();
    kfree(context->m_events);
    destroy(context);
    return {};
}

bool aio_busy()
{
    for (BlockQueue* queue : g_queues) {
        if (queue && !queue->idle())
            return true;
    }
    return false;
}

void kick_queues()
{
    for (BlockQueue* queue : g_queues) {
        if (queue)
            queue->kick();
    }
}

void aio_service()
{
    for (BlockQueue* queue : g_queues) {
        if (queue)
            queue->poll();
    }
}

} // namespace kiln::aio
