#include "runtime/loop/disk_queue.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <ctime>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <utility>

#include "runtime/loop/loop.h"

namespace kiln::loop {

namespace {

// Completions taken per io_getevents call, requests sent per io_submit call.
constexpr long k_events_per_reap = 64;
constexpr size_t k_submit_batch = 64;

// glibc has no wrappers for the AIO calls (libaio has, but it is only these lines).
long io_setup(unsigned depth, aio_context_t* context) { return ::syscall(SYS_io_setup, depth, context); }
long io_destroy(aio_context_t context) { return ::syscall(SYS_io_destroy, context); }
long io_submit(aio_context_t context, long count, iocb** requests)
{
    return ::syscall(SYS_io_submit, context, count, requests);
}
long io_getevents(aio_context_t context, long min, long max, io_event* events, timespec* timeout)
{
    return ::syscall(SYS_io_getevents, context, min, max, events, timeout);
}

} // namespace

DiskRequest::DiskRequest(
    Loop& loop, DiskOperation operation, int fd, std::byte* buffer, size_t length, uint64_t offset, Callback callback)
    : Request(loop)
    , m_operation(operation)
    , m_fd(fd)
    , m_buffer(buffer)
    , m_length(length)
    , m_offset(offset)
    , m_callback(std::move(callback))
{
}

// Only for results reported from the pending phase (refused at submit).
void DiskRequest::on_complete() { m_callback(*this, m_result); }

DiskQueue::DiskQueue(Loop& loop, unsigned depth)
    : m_loop(loop)
    , m_depth(std::max(depth, 1u))
{
}

std::unique_ptr<DiskQueue> DiskQueue::try_create(Loop& loop, unsigned depth, int& error)
{
    std::unique_ptr<DiskQueue> queue(new DiskQueue(loop, depth));
    queue->m_eventfd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (queue->m_eventfd < 0) {
        error = errno;
        return nullptr;
    }
    if (io_setup(queue->m_depth, &queue->m_context) < 0) {
        error = errno;
        queue->m_context = 0;
        return nullptr;
    }
    DiskQueue* self = queue.get();
    queue->m_watcher.emplace(loop, queue->m_eventfd, [self](IoWatcher&, IoEvents) { self->on_events(); });
    if (int watch_error = queue->m_watcher->start({ .readable = true }); watch_error != 0) {
        error = watch_error;
        return nullptr;
    }
    // Only requests keep the loop alive, not an idle queue.
    queue->m_watcher->unref();
    queue->m_batcher.emplace(loop, [self](PhaseHandle& batcher) {
        batcher.stop();
        self->send_waiting();
    });
    queue->m_batcher->unref();
    return queue;
}

DiskQueue::~DiskQueue()
{
    m_batcher.reset();
    m_watcher.reset();
    // Linux's io_destroy waits for whatever is still in flight.
    if (m_context != 0)
        (void)io_destroy(m_context);
    if (m_eventfd >= 0)
        ::close(m_eventfd);
}

void DiskQueue::submit(DiskRequest& request)
{
    request.begin();
    request.m_sequence = ++m_next_sequence;
    request.m_done = 0;
    if (request.m_operation == DiskOperation::Write)
        ++m_unfinished_writes[request.m_fd];
    if (request.m_operation != DiskOperation::Flush && request.m_length == 0) {
        // Nothing for the kernel to do; still answered from the loop.
        settle(request, 0);
        request.complete_in_pending_phase();
        return;
    }
    if (request.m_operation == DiskOperation::Flush) {
        auto writes = m_unfinished_writes.find(request.m_fd);
        request.m_writes_ahead = writes == m_unfinished_writes.end() ? 0 : writes->second;
        if (request.m_writes_ahead > 0) {
            m_held_flushes.push_back(&request);
            return;
        }
    }
    m_waiting.push_back(request.m_waiting_node);
    m_batcher->start();
}

void DiskQueue::prepare_iocb(DiskRequest& request)
{
    iocb& control = request.m_iocb;
    control = {};
    control.aio_data = reinterpret_cast<uintptr_t>(&request);
    control.aio_fildes = static_cast<uint32_t>(request.m_fd);
    control.aio_flags = IOCB_FLAG_RESFD;
    control.aio_resfd = static_cast<uint32_t>(m_eventfd);
    switch (request.m_operation) {
    case DiskOperation::Read:
    case DiskOperation::Write:
        control.aio_lio_opcode = request.m_operation == DiskOperation::Read ? IOCB_CMD_PREAD : IOCB_CMD_PWRITE;
        control.aio_buf = reinterpret_cast<uintptr_t>(request.m_buffer + request.m_done);
        control.aio_nbytes = request.m_length - request.m_done;
        control.aio_offset = static_cast<int64_t>(request.m_offset + request.m_done);
        break;
    case DiskOperation::Flush:
        // Data only: a disk (or a file we never grow) has no metadata worth a journal commit.
        control.aio_lio_opcode = IOCB_CMD_FDSYNC;
        break;
    }
}

void DiskQueue::send_waiting()
{
    std::array<iocb*, k_submit_batch> batch;
    while (m_in_flight < m_depth && m_waiting.front()) {
        size_t count = 0;
        for (DiskRequest* request = m_waiting.front(); request && count < batch.size() && m_in_flight + count < m_depth;
             request = m_waiting.after(request->m_waiting_node)) {
            prepare_iocb(*request);
            batch[count++] = &request->m_iocb;
        }
        long sent = io_submit(m_context, static_cast<long>(count), batch.data());
        // The first `sent` were taken, in order.
        for (long i = 0; i < sent; ++i) {
            m_waiting.pop_front();
            ++m_in_flight;
        }
        if (sent > 0)
            continue;
        int error = sent < 0 ? errno : EAGAIN;
        if (error == EINTR)
            continue;
        // The kernel is out of room: try again as requests complete.
        if (error == EAGAIN && m_in_flight > 0)
            return;
        // The first request itself is refused: report it and go on with the rest.
        DiskRequest* refused = m_waiting.front();
        m_waiting.pop_front();
        settle(*refused, -error);
        refused->complete_in_pending_phase();
    }
}

void DiskQueue::settle(DiskRequest& request, int64_t result)
{
    request.m_result = result;
    if (request.m_operation != DiskOperation::Write)
        return;
    auto writes = m_unfinished_writes.find(request.m_fd);
    if (writes != m_unfinished_writes.end() && --writes->second == 0)
        m_unfinished_writes.erase(writes);
    // Flushes submitted after this write were waiting for it.
    std::vector<DiskRequest*> released;
    std::erase_if(m_held_flushes, [&](DiskRequest* flush) {
        if (flush->m_fd != request.m_fd || flush->m_sequence < request.m_sequence || --flush->m_writes_ahead > 0)
            return false;
        released.push_back(flush);
        return true;
    });
    for (DiskRequest* flush : released)
        m_waiting.push_back(flush->m_waiting_node);
}

void DiskQueue::on_events()
{
    uint64_t signals;
    (void)!::read(m_eventfd, &signals, sizeof signals);

    std::vector<DiskRequest*> done;
    std::array<io_event, k_events_per_reap> events;
    for (;;) {
        timespec no_wait {};
        long count = io_getevents(m_context, 0, k_events_per_reap, events.data(), &no_wait);
        if (count < 0 && errno == EINTR)
            continue;
        if (count <= 0)
            break;
        for (long i = 0; i < count; ++i) {
            auto& request = *reinterpret_cast<DiskRequest*>(static_cast<uintptr_t>(events[i].data));
            --m_in_flight;
            int64_t result = events[i].res;
            if (result > 0 && request.m_operation != DiskOperation::Flush) {
                request.m_done += static_cast<size_t>(result);
                if (request.m_done < request.m_length) {
                    // A short transfer: the rest goes out again.
                    m_waiting.push_back(request.m_waiting_node);
                    continue;
                }
                result = static_cast<int64_t>(request.m_done);
            } else if (result == 0 && request.m_operation == DiskOperation::Read) {
                result = static_cast<int64_t>(request.m_done); // the end of the file
            } else if (result == 0 && request.m_operation == DiskOperation::Write) {
                result = -EIO; // no progress: the device took nothing
            }
            settle(request, result);
            done.push_back(&request);
        }
        if (count < k_events_per_reap)
            break;
    }
    send_waiting();
    for (DiskRequest* request : done) {
        request->end();
        request->m_callback(*request, request->m_result);
    }
}

} // namespace kiln::loop
