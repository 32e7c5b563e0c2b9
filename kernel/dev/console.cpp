#include "dev/console.h"

#include "dev/serial.h"

namespace kiln {
namespace {

SerialPort g_com1(0x3f8);

} // namespace

void console_init() { g_com1.init(); }

void console_write(const char* data, size_t length) { g_com1.write(data, length); }

void kprintf(const char* fmt, ...)
{
    char buffer[512];
    va_list args;
    va_start(args, fmt);
    size_t n = vformat(buffer, sizeof(buffer), fmt, args);
    va_end(args);
    console_write(buffer, n < sizeof(buffer) ? n : sizeof(buffer) - 1);
}

} // namespace kiln
