#pragma once

#include <stddef.h>

#include "lib/format.h"

namespace kiln {

// The kernel console: COM1. Safe in any context (polled, no allocation); lines longer
// than 512 bytes per kprintf call are truncated.
void console_init();
void console_write(const char* data, size_t length);
void kprintf(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

// Informational boot messages: printed unless the kernel command line says `quiet`.
// Errors, reports and the final `kiln: exit status N` line always use kprintf.
void kinfo(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
void console_set_quiet(bool quiet);

} // namespace kiln
