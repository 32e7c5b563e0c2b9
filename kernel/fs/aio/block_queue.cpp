#include "fs/aio/block_queue.h"

#include "mm/page.h"

namespace kiln::aio {
namespace {

constexpr uint64_t PAGE = mm::PAGE_SIZE;

uint64_t smallest(uint64_t a, uint64_t b) { return a < b ? a : b; }

} // namespace

size_t window_segments(const uint64_t* pages, size_t page_count, uint32_t bytes, uint32_t size_max,
    virtio::Segment* out)
{
    size_t count = 0;
    uint32_t left = bytes;
    for (size_t i = 0; i < page_count && left > 0; ++i) {
        auto length = static_cast<uint32_t>(smallest(left, PAGE));
        virtio::Segment& last = out[count > 0 ? count - 1 : 0];
        bool adjacent = count > 0 && last.physical + last.length == pages[i];
        if (adjacent && (size_max == 0 || last.length + length <= size_max))
            last.length += length;
        else
            out[count++] = virtio::Segment { pages[i], length };
        left -= length;
    }
    return count;
}

bool BlockQueue::supports(const virtio::VirtioBlk& disk) { return disk.size_max() == 0 || disk.size_max() >= PAGE; }

void BlockQueue::append(BlockIo*& head, BlockIo*& tail, BlockIo& io)
{
    io.next = nullptr;
    if (tail)
        tail->next = &io;
    else
        head = &io;
    tail = &io;
}

void BlockQueue::start(BlockIo& io, virtio::Kick kick)
{
    io.started = 0;
    io.windows = 0;
    io.flush_started = false;
    io.failed = false;
    io.queued = true;
    append(m_waiting, m_waiting_tail, io);
    pump(kick);
}

void BlockQueue::unlink_waiting(BlockIo& io)
{
    BlockIo* previous = nullptr;
    for (BlockIo* i = m_waiting; i; previous = i, i = i->next) {
        if (i != &io)
            continue;
        (previous ? previous->next : m_waiting) = io.next;
        if (m_waiting_tail == &io)
            m_waiting_tail = previous;
        io.next = nullptr;
        io.queued = false;
        return;
    }
}

bool BlockQueue::cancel(BlockIo& io)
{
    if (!io.queued || io.windows > 0 || io.started > 0 || io.flush_started)
        return false;
    unlink_waiting(io);
    return true;
}

// Starts windows for waiting requests, oldest first, until the device or the window
// slots are full, and (Kick::Now) shows them to the device together. A request leaves
// the waiting list once all of it has started.
void BlockQueue::pump(virtio::Kick kick)
{
    size_t started = 0;
    while (m_waiting && m_windows_in_use < WINDOWS) {
        BlockIo& io = *m_waiting;
        Window* window = nullptr;
        for (Window& w : m_windows) {
            if (!w.io) {
                window = &w;
                break;
            }
        }
        StartResult r = start_window(io, *window);
        if (r == StartResult::Later)
            break;
        started += r == StartResult::Started;
        if (io.queued && io.fully_started())
            unlink_waiting(io);
        finish_if_done(io); // a failure with nothing on the device
    }
    if (started > 0 && kick == virtio::Kick::Now)
        m_disk.kick();
}

BlockQueue::StartResult BlockQueue::start_window(BlockIo& io, Window& window)
{
    window = Window {};
    window.queue = this;
    virtio::BlockRequest request;
    request.completion = on_device_completion;
    request.context = &window;
    virtio::Segment segments[MAX_WINDOW_PAGES];
    if (io.kind == BlockIoKind::Flush) {
        request.operation = virtio::BlockOperation::Flush;
    } else {
        uint64_t limit = smallest(MAX_WINDOW_PAGES, m_disk.max_segments()) * PAGE;
        window.at = io.started;
        window.bytes = static_cast<uint32_t>(smallest(io.length - io.started, limit));
        window.page_count = static_cast<uint32_t>((window.bytes + PAGE - 1) / PAGE);
        for (uint32_t i = 0; i < window.page_count; ++i) {
            auto page = m_memory.frames.allocate_frames(1);
            if (page.is_error()) {
                window.page_count = i;
                release_pages(window);
                // Memory comes back when windows complete; with none on the device it
                // never will.
                if (m_windows_in_use > 0)
                    return StartResult::Later;
                fail(io, Errno::NOMEM);
                return StartResult::Failed;
            }
            window.pages[i] = page.value();
        }
        if (io.kind == BlockIoKind::Write) {
            if (auto copied = copy(io, window, false); copied.is_error()) {
                release_pages(window);
                fail(io, copied.error());
                return StartResult::Failed;
            }
        }
        request.operation = io.kind == BlockIoKind::Write ? virtio::BlockOperation::Write : virtio::BlockOperation::Read;
        request.sector = (io.offset + window.at) / 512;
        request.buffers = std::span<const virtio::Segment>(
            segments, window_segments(window.pages, window.page_count, window.bytes, m_disk.size_max(), segments));
    }
    auto tag = m_disk.submit(request, virtio::Kick::Later);
    if (tag.is_error()) {
        release_pages(window);
        if (tag.error() == Errno::AGAIN)
            return StartResult::Later; // a completion frees room; poll() pumps again
        fail(io, tag.error());
        return StartResult::Failed;
    }
    window.io = &io;
    ++m_windows_in_use;
    ++io.windows;
    if (io.kind == BlockIoKind::Flush)
        io.flush_started = true;
    else
        io.started += window.bytes;
    return StartResult::Started;
}

// Copies between the window's bounce pages and the part of the request's buffers it
// covers, piece by piece: a piece ends at a page or at the end of an iovec.
Result<void> BlockQueue::copy(const BlockIo& io, const Window& window, bool to_buffer)
{
    uint32_t v = 0;
    uint64_t skip = window.at; // into vectors[v]
    while (v < io.vector_count && skip >= io.vectors[v].length) {
        skip -= io.vectors[v].length;
        ++v;
    }
    uint64_t done = 0;
    while (done < window.bytes) {
        if (v >= io.vector_count)
            return Errno::FAULT; // the vectors are shorter than the request
        uint64_t page_offset = done % PAGE;
        uint64_t n = smallest(smallest(window.bytes - done, io.vectors[v].length - skip), PAGE - page_offset);
        uint8_t* bounce = m_memory.window.pointer<uint8_t>(window.pages[done / PAGE]) + page_offset;
        uint64_t address = io.vectors[v].base + skip;
        TRY_VOID(to_buffer ? m_access.store(address, bounce, n) : m_access.load(bounce, address, n));
        done += n;
        skip += n;
        if (skip == io.vectors[v].length) {
            ++v;
            skip = 0;
        }
    }
    return {};
}

void BlockQueue::release_pages(Window& window)
{
    for (uint32_t i = 0; i < window.page_count; ++i)
        m_memory.frames.release_frames(window.pages[i], 1);
    window.page_count = 0;
}

void BlockQueue::fail(BlockIo& io, Errno error)
{
    if (!io.failed) {
        io.failed = true;
        io.error = error;
    }
    // Nothing more of it starts; what is on the device finishes first.
    io.started = io.length;
    io.flush_started = true;
    if (io.queued)
        unlink_waiting(io);
}

// Device completion: from VirtioBlk::poll_completions(), whoever calls it (this queue's
// poll() or a blocking read on the same disk). Reads are copied out here so the data is
// in place before anyone can see the event.
void BlockQueue::on_device_completion(void* context, uint16_t, Result<void> result)
{
    auto& window = *static_cast<Window*>(context);
    BlockQueue& queue = *window.queue;
    BlockIo& io = *window.io;
    if (result.is_error()) {
        // Linux reports a failed block request as -EIO whatever the device said.
        queue.fail(io, Errno::IO);
    } else if (io.kind == BlockIoKind::Read && !io.failed) {
        if (auto copied = queue.copy(io, window, true); copied.is_error())
            queue.fail(io, copied.error());
    }
    queue.release_pages(window);
    window.io = nullptr;
    --queue.m_windows_in_use;
    --io.windows;
    queue.finish_if_done(io);
}

// A request is done when all of it has started and nothing is left on the device; it
// joins the finished list for poll() to report.
void BlockQueue::finish_if_done(BlockIo& io)
{
    if (io.windows > 0 || !io.fully_started() || io.queued)
        return;
    append(m_finished, m_finished_tail, io);
}

size_t BlockQueue::poll()
{
    m_disk.poll_completions();
    pump(virtio::Kick::Now);
    size_t count = 0;
    while (m_finished) {
        BlockIo& io = *m_finished;
        m_finished = io.next;
        if (!m_finished)
            m_finished_tail = nullptr;
        io.next = nullptr;
        int64_t result = io.failed ? -static_cast<int64_t>(io.error) : static_cast<int64_t>(io.length);
        io.finished(&io, result); // may free io
        ++count;
    }
    return count;
}

} // namespace kiln::aio
