#pragma once

#include <string_view>

namespace kiln {

// Writes all of `bytes` to `fd` with write(2), retrying short writes, EINTR, and
// EAGAIN (an inherited non-blocking pipe). Returns 0 or the errno that stopped it.
// Blocking on purpose: until runtime/loop exists, console output is synchronous, as
// Node's is for files and pipes on Linux.
[[nodiscard]] int write_fully(int fd, std::string_view bytes);

// For diagnostics where nobody could act on a failure (we are already reporting one).
void write_to_stderr(std::string_view text);

} // namespace kiln
