#include "arch/x86_64/apic.h"

#include "arch/x86_64/cpu.h"
#include "proc/process_memory.h"
#include "time/clock.h"

namespace kiln::x86 {
namespace {

constexpr uint32_t MSR_APIC_BASE = 0x1b;
constexpr uint64_t APIC_BASE_ENABLE = 1 << 11;
constexpr uint64_t APIC_BASE_X2APIC = 1 << 10;
constexpr uint32_t MSR_TSC_DEADLINE = 0x6e0;
constexpr uint64_t LAPIC_PHYSICAL = 0xfee00000;
constexpr uint64_t IOAPIC_PHYSICAL = 0xfec00000;

// Local APIC register offsets (xAPIC MMIO; x2APIC MSR = 0x800 + offset / 16).
constexpr uint32_t REG_ID = 0x20;
constexpr uint32_t REG_TPR = 0x80;
constexpr uint32_t REG_EOI = 0xb0;
constexpr uint32_t REG_SPURIOUS = 0xf0;
constexpr uint32_t REG_LVT_TIMER = 0x320;
constexpr uint32_t REG_LVT_LINT0 = 0x350;
constexpr uint32_t REG_LVT_LINT1 = 0x360;
constexpr uint32_t REG_LVT_ERROR = 0x370;
constexpr uint32_t REG_TIMER_INITIAL = 0x380;
constexpr uint32_t REG_TIMER_CURRENT = 0x390;
constexpr uint32_t REG_TIMER_DIVIDE = 0x3e0;

constexpr uint32_t LVT_MASKED = 1 << 16;
constexpr uint32_t LVT_TIMER_TSC_DEADLINE = 2 << 17;

bool g_x2apic = false;
bool g_tsc_deadline = false;
volatile uint32_t* g_lapic = nullptr;
volatile uint32_t* g_ioapic = nullptr;
uint64_t g_lapic_ticks_per_ms = 0;  // one-shot mode, divide by 16
bool g_msi_vector_used[MSI_VECTOR_LAST - MSI_VECTOR_FIRST + 1] = {};

uint32_t lapic_read(uint32_t reg)
{
    if (g_x2apic)
        return static_cast<uint32_t>(rdmsr(0x800 + reg / 16));
    return g_lapic[reg / 4];
}

void lapic_write(uint32_t reg, uint32_t value)
{
    if (g_x2apic)
        wrmsr(0x800 + reg / 16, value);
    else
        g_lapic[reg / 4] = value;
}

// IOAPIC: an index register at 0x00 and a data window at 0x10.
uint32_t ioapic_read(uint32_t index)
{
    g_ioapic[0] = index;
    return g_ioapic[4];
}

void ioapic_write(uint32_t index, uint32_t value)
{
    g_ioapic[0] = index;
    g_ioapic[4] = value;
}

// One-shot mode needs the timer's rate: count down from a large value for ~2 ms of
// the (already calibrated) monotonic clock.
void calibrate_one_shot_timer()
{
    lapic_write(REG_TIMER_DIVIDE, 0x3);  // divide by 16
    lapic_write(REG_LVT_TIMER, LVT_MASKED | TIMER_VECTOR);
    lapic_write(REG_TIMER_INITIAL, 0xffffffff);
    uint64_t start = monotonic_ns();
    while (monotonic_ns() - start < 2000000)
        asm volatile("pause");
    uint32_t elapsed = 0xffffffff - lapic_read(REG_TIMER_CURRENT);
    uint64_t ns = monotonic_ns() - start;
    lapic_write(REG_TIMER_INITIAL, 0);
    g_lapic_ticks_per_ms = ns ? static_cast<uint64_t>(elapsed) * 1000000 / ns : 0;
    if (g_lapic_ticks_per_ms == 0)
        g_lapic_ticks_per_ms = 1;
}

}  // namespace

Result<void> apic_init(bool force_xapic)
{
    auto leaf1 = cpuid(1);
    bool has_x2apic = (leaf1.ecx & (1 << 21)) && !force_xapic;
    g_tsc_deadline = (leaf1.ecx & (1 << 24)) && tsc_frequency_hz() != 0 && !force_xapic;

    uint64_t base = rdmsr(MSR_APIC_BASE);
    if (has_x2apic) {
        wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE | APIC_BASE_X2APIC);
        g_x2apic = true;
    } else {
        wrmsr(MSR_APIC_BASE, (base & ~APIC_BASE_X2APIC) | APIC_BASE_ENABLE);
        TRY(volatile uint8_t* lapic, map_device_memory(LAPIC_PHYSICAL, 4096));
        g_lapic = reinterpret_cast<volatile uint32_t*>(lapic);
    }
    lapic_write(REG_TPR, 0);
    lapic_write(REG_LVT_LINT0, LVT_MASKED);
    lapic_write(REG_LVT_LINT1, LVT_MASKED);
    lapic_write(REG_LVT_ERROR, LVT_MASKED);
    lapic_write(REG_SPURIOUS, 0x100 | SPURIOUS_VECTOR);  // software enable
    (void)lapic_read(REG_ID);

    if (g_tsc_deadline)
        lapic_write(REG_LVT_TIMER, LVT_TIMER_TSC_DEADLINE | TIMER_VECTOR);
    else
        calibrate_one_shot_timer();

    TRY(volatile uint8_t* ioapic, map_device_memory(IOAPIC_PHYSICAL, 4096));
    g_ioapic = reinterpret_cast<volatile uint32_t*>(ioapic);
    uint32_t pins = ((ioapic_read(1) >> 16) & 0xff) + 1;
    for (uint32_t pin = 0; pin < pins; ++pin) {
        ioapic_write(0x10 + pin * 2, LVT_MASKED);
        ioapic_write(0x11 + pin * 2, 0);
    }
    return {};
}

void lapic_end_of_interrupt() { lapic_write(REG_EOI, 0); }

void lapic_timer_arm(uint64_t deadline_ns)
{
    uint64_t now = monotonic_ns();
    uint64_t delta = deadline_ns > now ? deadline_ns - now : 0;
    if (g_tsc_deadline) {
        uint64_t ticks = static_cast<uint64_t>(static_cast<unsigned __int128>(delta) * tsc_frequency_hz() / 1000000000);
        // x2APIC and TSC_DEADLINE MSR writes are not serializing; fence so the LVT
        // set-up and earlier stores are visible first (Linux's weak_wrmsr_fence).
        asm volatile("mfence; lfence" ::: "memory");
        wrmsr(MSR_TSC_DEADLINE, rdtsc() + ticks + 1);
        return;
    }
    uint64_t count = delta * g_lapic_ticks_per_ms / 1000000;
    if (count == 0)
        count = 1;
    if (count > 0xffffffff)
        count = 0xffffffff;  // wakes early; the waiter re-arms
    lapic_write(REG_LVT_TIMER, TIMER_VECTOR);
    lapic_write(REG_TIMER_INITIAL, static_cast<uint32_t>(count));
}

void lapic_timer_cancel()
{
    if (g_tsc_deadline)
        wrmsr(MSR_TSC_DEADLINE, 0);
    else
        lapic_write(REG_TIMER_INITIAL, 0);
}

Result<void> ioapic_route(uint8_t pin, Trigger trigger, Polarity polarity)
{
    uint32_t pins = ((ioapic_read(1) >> 16) & 0xff) + 1;
    if (pin >= pins)
        return Errno::INVAL;
    uint32_t low = DEVICE_VECTOR_BASE + pin;  // fixed delivery, physical destination
    if (trigger == Trigger::Level)
        low |= 1 << 15;
    if (polarity == Polarity::ActiveLow)
        low |= 1 << 13;
    ioapic_write(0x11 + pin * 2, lapic_id() << 24);
    ioapic_write(0x10 + pin * 2, low);
    return {};
}

uint32_t lapic_id()
{
    // xAPIC: the ID is in bits 31:24 of the register; x2APIC: the whole 32 bits.
    return g_x2apic ? lapic_read(REG_ID) : lapic_read(REG_ID) >> 24;
}

Result<uint8_t> allocate_msi_vector()
{
    for (unsigned i = 0; i < sizeof(g_msi_vector_used); ++i) {
        if (!g_msi_vector_used[i]) {
            g_msi_vector_used[i] = true;
            return static_cast<uint8_t>(MSI_VECTOR_FIRST + i);
        }
    }
    return Errno::NOSPC;
}

void free_msi_vector(uint8_t vector)
{
    if (vector >= MSI_VECTOR_FIRST && vector <= MSI_VECTOR_LAST)
        g_msi_vector_used[vector - MSI_VECTOR_FIRST] = false;
}

const char* apic_mode_name()
{
    if (g_x2apic)
        return g_tsc_deadline ? "x2apic, tsc-deadline timer" : "x2apic, one-shot timer";
    return g_tsc_deadline ? "xapic, tsc-deadline timer" : "xapic, one-shot timer";
}

}  // namespace kiln::x86
