#include "dev/console.h"

#include "dev/serial.h"

namespace kiln {
namespace {

SerialPort g_com1(0x3f8);
bool g_quiet = false;

void vprint(const char* fmt, va_list args)
{
    char buffer[512];
    size_t n = vformat(buffer, sizeof(buffer), fmt, args);
    console_write(buffer, n < sizeof(buffer) ? n : sizeof(buffer) - 1);
}

} // namespace

void console_init() { g_com1.init(); }

void console_write(const char* data, size_t length) { g_com1.write(data, length); }

void kprintf(const char* fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    vprint(fmt, args);
    va_end(args);
}

void kinfo(const char* fmt, ...)
{
    if (g_quiet)
        return;
    va_list args;
    va_start(args, fmt);
    vprint(fmt, args);
    va_end(args);
}

void console_set_quiet(bool quiet) { g_quiet = quiet; }

} // namespace kiln
