#include "fs/epoll.h"

#include "lib/kalloc.h"

namespace kiln {
namespace {

EpollFile* g_instances = nullptr;

// Linux always reports these, asked for or not.
constexpr uint32_t ALWAYS_REPORTED = POLL_ERR | POLL_HUP;

}  // namespace

Result<EpollFile*> create_epoll()
{
    auto* epoll = make<EpollFile>();
    if (!epoll)
        return Errno::NOMEM;
    epoll->m_next_instance = g_instances;
    if (g_instances)
        g_instances->m_previous_instance = epoll;
    g_instances = epoll;
    return epoll;
}

EpollFile::~EpollFile()
{
    while (m_items) {
        Item* next = m_items->next;
        kfree(m_items);
        m_items = next;
    }
    if (m_previous_instance)
        m_previous_instance->m_next_instance = m_next_instance;
    else
        g_instances = m_next_instance;
    if (m_next_instance)
        m_next_instance->m_previous_instance = m_previous_instance;
}

Result<void> EpollFile::stat(LinuxStat& out) const
{
    out = LinuxStat {};
    out.dev = DEVICE_PSEUDO;
    out.nlink = 1;
    out.mode = 0600;  // anon_inode: no file type bits
    out.blksize = 4096;
    return {};
}

EpollFile::Item* EpollFile::find(int fd, File* file) const
{
    for (Item* item = m_items; item; item = item->next) {
        if (item->fd == fd && item->file == file)
            return item;
    }
    return nullptr;
}

Result<void> EpollFile::add(int fd, File* file, const EpollEvent& event)
{
    if (file == this)
        return Errno::INVAL;
    if (!file->pollable())
        return Errno::PERM;  // regular files and folders, as Linux
    if (find(fd, file))
        return Errno::EXIST;
    auto* item = static_cast<Item*>(kalloc(sizeof(Item)));
    if (!item)
        return Errno::NOMEM;
    *item = Item { fd, file, event.events, event.data, 0, false, m_items };
    m_items = item;
    return {};
}

Result<void> EpollFile::modify(int fd, File* file, const EpollEvent& event)
{
    Item* item = find(fd, file);
    if (!item)
        return Errno::NOENT;
    item->events = event.events;
    item->data = event.data;
    item->reported = 0;
    item->disabled = false;
    return {};
}

Result<void> EpollFile::remove(int fd, File* file)
{
    for (Item** link = &m_items; *link; link = &(*link)->next) {
        if ((*link)->fd == fd && (*link)->file == file) {
            Item* item = *link;
            *link = item->next;
            kfree(item);
            return {};
        }
    }
    return Errno::NOENT;
}

void EpollFile::forget(File* file)
{
    for (Item** link = &m_items; *link;) {
        if ((*link)->file == file) {
            Item* item = *link;
            *link = item->next;
            kfree(item);
        } else {
            link = &(*link)->next;
        }
    }
}

uint32_t EpollFile::ready_events(const Item& item) const
{
    if (item.disabled)
        return 0;
    return item.file->poll_events() & (item.events | ALWAYS_REPORTED);
}

size_t EpollFile::collect(EpollEvent* out, size_t capacity)
{
    size_t count = 0;
    for (Item* item = m_items; item && count < capacity; item = item->next) {
        uint32_t ready = ready_events(*item);
        if (item->events & EPOLL_ET) {
            // Edge-triggered: report bits that became ready since the last report; a bit
            // that went away may be reported again when it comes back.
            uint32_t fresh = ready & ~item->reported;
            item->reported = ready;
            ready = fresh;
        }
        if (!ready)
            continue;
        out[count++] = EpollEvent { ready, item->data };
        if (item->events & EPOLL_ONESHOT)
            item->disabled = true;
    }
    return count;
}

uint32_t EpollFile::poll_events() const
{
    // An epoll file is readable when one of its items is ready (nested epoll).
    for (Item* item = m_items; item; item = item->next) {
        uint32_t ready = ready_events(*item);
        if ((item->events & EPOLL_ET) ? (ready & ~item->reported) : ready)
            return POLL_IN | POLL_RDNORM;
    }
    return 0;
}

uint64_t EpollFile::next_deadline() const
{
    uint64_t earliest = ~0ULL;
    for (Item* item = m_items; item; item = item->next) {
        uint64_t deadline = item->disabled ? ~0ULL : item->file->poll_deadline();
        if (deadline < earliest)
            earliest = deadline;
    }
    return earliest;
}

uint64_t EpollFile::poll_deadline() const { return next_deadline(); }

void epoll_forget(File* file)
{
    for (EpollFile* epoll = g_instances; epoll; epoll = epoll->m_next_instance)
        epoll->forget(file);
}

}  // namespace kiln
