#pragma once

// Asynchronous reads, writes and flushes on one virtio-blk disk, many on the device at
// once: the engine under Linux AIO on /dev/vdX. Portable (tested against the fake
// virtio device); the kernel supplies the disk, DMA memory and user-memory access.
//
// A request is cut into windows of at most MAX_WINDOW_PAGES pages; each window is one
// device request whose data lives in bounce pages taken from DMA memory when the window
// starts and given back when it completes. Bounce buffers, not the user's own pages,
// because user pages may not be resident yet (demand paging), are not physically
// contiguous, and could be unmapped by the program while the device still writes into
// them; copying costs one memcpy per byte and needs no pinning. Writes copy the user's
// data into the window when it starts, reads copy it out when it completes, so a buffer
// must stay mapped until the request's event (as on Linux); if it is gone the event
// says -EFAULT. Bounce memory is bounded by the device: at most
// VirtioBlk::MAX_REQUESTS windows exist, so at most 64 x 64 KiB per disk. (The one
// process is the only user of its address space, so copying into it from any kernel
// entry - a system call, a wait point, a device interrupt taken in user mode - is safe;
// a page not yet there is faulted in like for any user copy.)
//
// When the device is full (VirtioBlk::submit says AGAIN), or every window slot is in
// use, requests wait in the kernel in submission order and start as windows complete:
// io_submit never has to refuse work the context has room for.
//
// Context: everything runs in the kernel's main context, one caller at a time.
// `finished` callbacks run only from poll(), never from start() or cancel().

#include <stddef.h>
#include <stdint.h>

#include "dev/virtio/blk.h"
#include "dev/virtio/dma.h"
#include "fs/aio/aio_abi.h"
#include "lib/result.h"

namespace kiln::aio {

// How the queue reaches a request's buffers: user memory in the kernel, host memory in
// the tests. Both say FAULT when the memory is not there.
struct BufferAccess {
    Result<void> (*store)(uint64_t address, const void* source, size_t length); // into the buffer
    Result<void> (*load)(void* destination, uint64_t address, size_t length);   // out of it
};

enum class BlockIoKind : uint8_t { Read, Write, Flush };

// One request. The owner fills the first block, keeps the object (and `vectors`) alive
// until `finished` runs, and leaves the rest to the queue.
struct BlockIo {
    BlockIoKind kind = BlockIoKind::Read;
    uint64_t offset = 0; // bytes; a multiple of 512
    uint64_t length = 0; // bytes; a multiple of 512, not 0 (0 for a flush)
    const IoVector* vectors = nullptr; // the buffers in order, at least `length` bytes
    uint32_t vector_count = 0;
    // `result` is `length` on success, else -errno: -EIO for a device error, -EFAULT
    // when a buffer was not mapped, -ENOMEM when no bounce page could be had.
    void (*finished)(BlockIo* io, int64_t result) = nullptr;
    void* owner = nullptr;

    // Queue state.
    uint64_t started = 0; // bytes handed to windows
    uint32_t windows = 0; // windows on the device
    bool flush_started = false;
    bool queued = false; // waiting for the device
    Errno error = Errno::PERM;
    bool failed = false;
    BlockIo* next = nullptr; // in the waiting list or the finished list

    bool fully_started() const { return kind == BlockIoKind::Flush ? flush_started : started == length; }
};

// Cuts a window's bounce pages into descriptor segments: physically adjacent pages are
// merged, no segment exceeds `size_max` (0 = no limit; otherwise at least one page).
// Returns the number of segments written to `out` (room for `page_count`).
size_t window_segments(const uint64_t* pages, size_t page_count, uint32_t bytes, uint32_t size_max,
    virtio::Segment* out);

class BlockQueue {
public:
    static constexpr uint32_t MAX_WINDOW_PAGES = 16;
    static constexpr uint32_t WINDOWS = virtio::VirtioBlk::MAX_REQUESTS;

    BlockQueue(virtio::VirtioBlk& disk, const virtio::DmaMemory& memory, BufferAccess access)
        : m_disk(disk), m_memory(memory), m_access(access)
    {
    }
    BlockQueue(const BlockQueue&) = delete;
    BlockQueue& operator=(const BlockQueue&) = delete;

    // Whether the disk can be driven this way (its size_max allows whole pages).
    static bool supports(const virtio::VirtioBlk& disk);

    // Takes a request (see BlockIo for what the caller fills in): starts as much of it
    // as the device takes now and queues the rest. With Kick::Later what started stays
    // invisible to the device until kick(), so a batch (one io_submit) costs the device
    // one notification, as Linux plugs io_submit.
    void start(BlockIo& io, virtio::Kick kick = virtio::Kick::Now);
    void kick() { m_disk.kick(); }

    // Collects finished device requests, starts waiting work, then runs the `finished`
    // callbacks of completed requests. Returns how many requests finished.
    size_t poll();

    // Withdraws a request none of which has reached the device; `finished` never runs.
    // False when part of it is on the device (it will finish normally).
    bool cancel(BlockIo& io);

    size_t windows_in_use() const { return m_windows_in_use; }
    bool idle() const { return m_windows_in_use == 0 && !m_waiting && !m_finished; }

private:
    struct Window {
        BlockQueue* queue = nullptr;
        BlockIo* io = nullptr; // null: free
        uint64_t at = 0;       // offset in the request
        uint32_t bytes = 0;
        uint32_t page_count = 0;
        uint64_t pages[MAX_WINDOW_PAGES] = {};
    };

    enum class StartResult { Started, Later, Failed };

    void pump(virtio::Kick kick);
    StartResult start_window(BlockIo& io, Window& window);
    Result<void> copy(const BlockIo& io, const Window& window, bool to_buffer);
    void release_pages(Window& window);
    static void on_device_completion(void* context, uint16_t tag, Result<void> result);
    void fail(BlockIo& io, Errno error);
    void finish_if_done(BlockIo& io);
    void unlink_waiting(BlockIo& io);
    static void append(BlockIo*& head, BlockIo*& tail, BlockIo& io);

    virtio::VirtioBlk& m_disk;
    virtio::DmaMemory m_memory;
    BufferAccess m_access;
    Window m_windows[WINDOWS];
    size_t m_windows_in_use = 0;
    BlockIo* m_waiting = nullptr; // FIFO
    BlockIo* m_waiting_tail = nullptr;
    BlockIo* m_finished = nullptr; // FIFO, in completion order
    BlockIo* m_finished_tail = nullptr;
};

} // namespace kiln::aio
