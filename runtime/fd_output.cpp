#include "runtime/fd_output.h"

#include <cerrno>
#include <poll.h>
#include <unistd.h>

namespace kiln {

int write_fully(int fd, std::string_view bytes)
{
    while (!bytes.empty()) {
        ssize_t written = ::write(fd, bytes.data(), bytes.size());
        if (written >= 0) {
            bytes.remove_prefix(static_cast<size_t>(written));
            continue;
        }
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN) {
            pollfd waiter { .fd = fd, .events = POLLOUT, .revents = 0 };
            ::poll(&waiter, 1, -1);
            continue;
        }
        return errno;
    }
    return 0;
}

void write_to_stderr(std::string_view text) { (void)write_fully(STDERR_FILENO, text); }

} // namespace kiln
