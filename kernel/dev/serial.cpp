#include "dev/serial.h"

#include "arch/x86_64/cpu.h"

namespace kiln {
namespace {

// 16550 registers, as offsets from the base port.
constexpr uint16_t DATA = 0;
constexpr uint16_t INTERRUPT_ENABLE = 1;
constexpr uint16_t FIFO_CONTROL = 2;
constexpr uint16_t LINE_CONTROL = 3;
constexpr uint16_t MODEM_CONTROL = 4;
constexpr uint16_t LINE_STATUS = 5;
constexpr uint8_t LINE_STATUS_THR_EMPTY = 0x20;

} // namespace

void SerialPort::init()
{
    using namespace x86;
    outb(m_base + INTERRUPT_ENABLE, 0x00);
    outb(m_base + LINE_CONTROL, 0x80); // DLAB: divisor follows
    outb(m_base + DATA, 0x01); // 115200 baud
    outb(m_base + INTERRUPT_ENABLE, 0x00);
    outb(m_base + LINE_CONTROL, 0x03); // 8N1
    outb(m_base + FIFO_CONTROL, 0xc7); // FIFOs on, cleared
    outb(m_base + MODEM_CONTROL, 0x03); // DTR, RTS
}

void SerialPort::put(char c)
{
    // Bounded wait: a missing UART reads as 0xff (THR "empty"), a stuck one must not hang us.
    for (int spins = 0; spins < 100000; ++spins) {
        if (x86::inb(m_base + LINE_STATUS) & LINE_STATUS_THR_EMPTY)
            break;
    }
    x86::outb(m_base + DATA, static_cast<uint8_t>(c));
}

void SerialPort::write(const char* data, size_t length)
{
    for (size_t i = 0; i < length; ++i)
        put(data[i]);
}

} // namespace kiln
