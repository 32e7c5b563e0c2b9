#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <linux/aio_abi.h>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "runtime/loop/intrusive_list.h"
#include "runtime/loop/io_watcher.h"
#include "runtime/loop/phase_handle.h"
#include "runtime/loop/request.h"

namespace kiln::loop {

class DiskQueue;

enum class DiskOperation { Read, Write, Flush };

// One read, write or flush of a file or block device, done by a DiskQueue (libuv's
// uv_fs_t, with Linux AIO instead of a thread pool). Keeps the loop alive from submit
// until its callback has run. The buffer must stay valid, and a write's bytes unchanged,
// until then; the request itself too (the callback may free it).
class DiskRequest final : public Request {
public:
    // `result`: the bytes transferred (all of them unless a read met the end of the
    // file), 0 for a flush, or -errno.
    using Callback = std::function<void(DiskRequest&, int64_t result)>;

    DiskRequest(Loop& loop, DiskOperation operation, int fd, std::byte* buffer, size_t length, uint64_t offset,
        Callback callback);

    DiskOperation operation() const { return m_operation; }

private:
    friend class DiskQueue;

    void on_complete() override;

    DiskOperation m_operation;
    int m_fd;
    std::byte* m_buffer;
    size_t m_length;
    uint64_t m_offset;
    Callback m_callback;

    size_t m_done = 0; // bytes transferred so far: a short transfer is resubmitted for the rest
    int64_t m_result = 0;
    uint64_t m_sequence = 0; // submit order, for flush barriers
    size_t m_writes_ahead = 0; // a flush: earlier writes on its fd that have not finished
    iocb m_iocb {};
    ListNode<DiskRequest> m_waiting_node { this }; // DiskQueue::m_waiting
};

// Disk I/O on the loop's thread through Linux native AIO, as on any Linux: one context
// (io_setup), requests sent with io_submit (IOCB_CMD_PREAD, PWRITE, FDSYNC) with
// IOCB_FLAG_RESFD, so that completions make an eventfd readable; an IoWatcher on it
// reaps them with io_getevents and runs the callbacks. The loop never blocks on a disk.
//
// - At most `depth` requests are with the kernel at once; the rest wait here, in order,
//   and go out as slots free up.
// - A flush is a barrier for the writes before it: it is sent only once every write on
//   the same fd submitted before it has finished, so "write, write, flush" makes both
//   writes durable without waiting for them first. Reads and writes are not ordered
//   among themselves (overlapping ones in flight at once land in any order).
// - Short transfers are continued until the whole range is done (or a read reaches the
//   end of the file).
// - The queue does not keep the loop alive; its requests do.
class DiskQueue {
public:
    // Returns nullptr and sets `error` (an errno of eventfd, io_setup or epoll_ctl) if
    // the context cannot be made.
    [[nodiscard]] static std::unique_ptr<DiskQueue> try_create(Loop& loop, unsigned depth, int& error);
    // Destroy only when no request is in flight or waiting.
    ~DiskQueue();

    DiskQueue(const DiskQueue&) = delete;
    DiskQueue& operator=(const DiskQueue&) = delete;

    // Starts `request`. Never calls back from inside this call: a request refused at
    // once still reports its error from the loop's pending phase.
    void submit(DiskRequest& request);

    Loop& loop() const { return m_loop; }
    // For tests and statistics.
    size_t in_flight() const { return m_in_flight; }
    size_t held_flushes() const { return m_held_flushes.size(); }
    size_t depth() const { return m_depth; }

private:
    DiskQueue(Loop& loop, unsigned depth);

    void send_waiting();
    void prepare_iocb(DiskRequest& request);
    void on_events();
    // Records that `request` is done with `result` (its callback is the caller's to
    // run), and lets go the flushes that were waiting for it.
    void settle(DiskRequest& request, int64_t result);

    Loop& m_loop;
    unsigned m_depth;
    aio_context_t m_context = 0;
    int m_eventfd = -1;
    std::optional<IoWatcher> m_watcher;
    // Sends what waits once per loop iteration, before the poll: the requests one turn
    // of JS makes go to the kernel in one io_submit (one device notification in Kiln).
    std::optional<Prepare> m_batcher;
    size_t m_in_flight = 0;
    uint64_t m_next_sequence = 0;
    IntrusiveList<DiskRequest> m_waiting;
    std::vector<DiskRequest*> m_held_flushes;
    std::unordered_map<int, size_t> m_unfinished_writes; // by fd
};

} // namespace kiln::loop
