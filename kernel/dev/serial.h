#pragma once

#include <stddef.h>
#include <stdint.h>

namespace kiln {

// 16550 UART on an ISA port (COM1 = 0x3f8), polled. Output only for now.
class SerialPort {
public:
    explicit constexpr SerialPort(uint16_t base)
        : m_base(base)
    {
    }

    void init();
    void write(const char* data, size_t length);

private:
    void put(char c);

    uint16_t m_base;
};

} // namespace kiln
