#pragma once

// epoll(7): interest lists over open files, level- and edge-triggered, EPOLLONESHOT.
// With one thread and interrupts only at wait points, readiness is computed by asking
// each file (File::poll_events) when epoll_wait looks, not pushed by callbacks.

#include <stdint.h>

#include "fs/file.h"
#include "lib/result.h"

namespace kiln {

inline constexpr uint32_t EPOLL_EXCLUSIVE = 1u << 28;
inline constexpr uint32_t EPOLL_WAKEUP = 1u << 29;
inline constexpr uint32_t EPOLL_ONESHOT = 1u << 30;
inline constexpr uint32_t EPOLL_ET = 1u << 31;

// struct epoll_event is packed on x86-64.
struct [[gnu::packed]] EpollEvent {
    uint32_t events;
    uint64_t data;
};
static_assert(sizeof(EpollEvent) == 12);

class EpollFile final : public File {
public:
    ~EpollFile() override;

    Result<size_t> read(uint64_t, const IoBuffer&) override { return Errno::INVAL; }
    Result<void> stat(LinuxStat& out) const override;
    bool seekable() const override { return false; }
    bool pollable() const override { return true; }
    uint32_t poll_events() const override;
    uint64_t poll_deadline() const override;
    EpollFile* as_epoll() override { return this; }

    // EPOLL_CTL_ADD / MOD / DEL for (fd, file).
    Result<void> add(int fd, File* file, const EpollEvent& event);
    Result<void> modify(int fd, File* file, const EpollEvent& event);
    Result<void> remove(int fd, File* file);

    // Fills up to `capacity` ready events (consuming edge/one-shot state); the count.
    size_t collect(EpollEvent* out, size_t capacity);
    // Earliest time readiness can change by itself (timerfds in the list).
    uint64_t next_deadline() const;

    void forget(File* file);

private:
    struct Item {
        int fd;
        File* file;
        uint32_t events;
        uint64_t data;
        uint32_t reported;  // edge-triggered: bits already reported while still ready
        bool disabled;      // one-shot and fired
        Item* next;
    };
    Item* find(int fd, File* file) const;
    uint32_t ready_events(const Item& item) const;

    Item* m_items = nullptr;
    EpollFile* m_next_instance = nullptr;
    EpollFile* m_previous_instance = nullptr;
    friend Result<EpollFile*> create_epoll();
    friend void epoll_forget(File* file);
};

Result<EpollFile*> create_epoll();

// Called when a file description closes: removes it from every interest list.
void epoll_forget(File* file);

}  // namespace kiln
