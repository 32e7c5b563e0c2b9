// Linux native AIO: io_setup, io_submit, io_getevents, io_pgetevents, io_cancel,
// io_destroy. The handlers copy arguments in and call the context (fs/aio/aio_context.h),
// which says which requests overlap on the device and which complete at submit.

#include "fs/aio/aio_context.h"
#include "linux/syscall.h"
#include "linux/time_args.h"
#include "time/clock.h"
#include "time/wait.h"

namespace kiln {
namespace {

Result<int64_t> sys_io_setup(const SyscallArgs& a)
{
    TRY(uint64_t existing, read_user<uint64_t>(a.user(a.a1)));
    if (existing != 0)
        return Errno::INVAL;
    TRY(uint64_t id, aio::context_create(static_cast<uint32_t>(a.a0)));
    if (auto r = write_user(a.user(a.a1), id); r.is_error()) {
        (void)aio::context_destroy(id);
        return r.error();
    }
    return 0;
}

Result<int64_t> sys_io_destroy(const SyscallArgs& a)
{
    TRY_VOID(aio::context_destroy(a.a0));
    return 0;
}

Result<int64_t> sys_io_submit(const SyscallArgs& a)
{
    aio::Context* context = aio::context_find(a.a0);
    if (!context)
        return Errno::INVAL;
    auto nr = static_cast<int64_t>(a.a1);
    if (nr < 0)
        return Errno::INVAL;
    // A refused request ends the batch: Linux returns how many it took or, when it is
    // the first, the error.
    int64_t submitted = 0;
    Result<void> taken;
    for (; submitted < nr; ++submitted) {
        auto pointer = read_user<uint64_t>(UserAddress { a.a2 + static_cast<uint64_t>(submitted) * 8 });
        auto iocb = pointer.is_error() ? Result<aio::Iocb>(pointer.error())
                                       : read_user<aio::Iocb>(UserAddress { pointer.value() });
        taken = iocb.is_error() ? Result<void>(iocb.error()) : context->submit(iocb.value(), pointer.value());
        if (taken.is_error())
            break;
    }
    aio::kick_queues();
    if (taken.is_error() && submitted == 0)
        return taken.error();
    return submitted;
}

Result<int64_t> sys_io_getevents(const SyscallArgs& a)
{
    aio::Context* context = aio::context_find(a.a0);
    if (!context)
        return Errno::INVAL;
    auto min_nr = static_cast<int64_t>(a.a1), nr = static_cast<int64_t>(a.a2);
    if (min_nr < 0 || nr < 0 || min_nr > nr)
        return Errno::INVAL;
    uint64_t deadline = WAIT_FOREVER;
    if (a.a4) {
        TRY(uint64_t timeout, read_timespec_ns(a.user(a.a4)));
        uint64_t now = monotonic_ns();
        deadline = timeout == 0 ? 0 : timeout > WAIT_FOREVER - now ? WAIT_FOREVER : now + timeout;
    }
    // The ring never holds more than 65,536 events, so larger counts change nothing.
    constexpr int64_t CAP = 1 << 17;
    return context->get_events(static_cast<uint32_t>(min_nr < CAP ? min_nr : CAP),
        static_cast<uint32_t>(nr < CAP ? nr : CAP), a.user(a.a3), deadline);
}

// The signal mask changes nothing: no signal is ever delivered.
Result<int64_t> sys_io_pgetevents(const SyscallArgs& a) { return sys_io_getevents(a); }

Result<int64_t> sys_io_cancel(const SyscallArgs& a)
{
    TRY(uint32_t key, read_user<uint32_t>(UserAddress { a.a1 + offsetof(aio::Iocb, key) }));
    aio::Context* context = aio::context_find(a.a0);
    if (key != 0 || !context)
        return Errno::INVAL;
    return context->cancel(a.a1);
}

const SyscallEntry ENTRIES[] = {
    { 206, sys_io_setup },
    { 207, sys_io_destroy },
    { 208, sys_io_getevents },
    { 209, sys_io_submit },
    { 210, sys_io_cancel },
    { 333, sys_io_pgetevents },
};

} // namespace

SyscallFamily aio_syscalls() { return { ENTRIES, sizeof(ENTRIES) / sizeof(ENTRIES[0]) }; }

} // namespace kiln
