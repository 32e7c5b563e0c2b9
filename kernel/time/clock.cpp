#include "time/clock.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/layout.h"
#include "dev/console.h"
#include "time/civil_time.h"
#include "time/clock_data.h"
#include "time/tsc_scale.h"

namespace kiln {
namespace {

// --- PIT (Intel 8254), channel 0, used only to calibrate the TSC ---------------------
constexpr uint16_t PIT_CHANNEL0 = 0x40;
constexpr uint16_t PIT_COMMAND = 0x43;
constexpr uint64_t PIT_FREQUENCY_HZ = 1193182;
constexpr uint64_t CALIBRATION_PIT_TICKS = PIT_FREQUENCY_HZ / 100;  // 10 ms

uint16_t pit_read_channel0()
{
    x86::outb(PIT_COMMAND, 0x00);  // latch channel 0
    uint8_t low = x86::inb(PIT_CHANNEL0);
    uint8_t high = x86::inb(PIT_CHANNEL0);
    return static_cast<uint16_t>(high << 8 | low);
}

// Counts TSC ticks across a known number of PIT ticks. Channel 0 in mode 2 with a reload
// of 65536 counts down continuously, so elapsed ticks are (previous - current) mod 2^16
// as long as we sample more often than every 55 ms. Polling the counter (rather than
// the channel 2 gate on port 0x61) works on microvm, which has a PIT but no speaker port.
uint64_t calibrate_tsc_with_pit()
{
    x86::outb(PIT_COMMAND, 0x34);  // channel 0, low/high byte, mode 2, binary
    x86::outb(PIT_CHANNEL0, 0);
    x86::outb(PIT_CHANNEL0, 0);

    uint16_t previous = pit_read_channel0();
    for (int spins = 0; spins < 1000000; ++spins) {
        uint16_t now = pit_read_channel0();
        if (now != previous) {
            previous = now;
            break;
        }
    }
    uint64_t tsc_start = x86::rdtsc();
    uint64_t elapsed = 0;
    uint64_t spins = 0;
    while (elapsed < CALIBRATION_PIT_TICKS) {
        uint16_t now = pit_read_channel0();
        elapsed += static_cast<uint16_t>(previous - now);
        previous = now;
        if (++spins > 100000000)
            return 0;  // the PIT is not counting
    }
    uint64_t tsc_ticks = x86::rdtsc() - tsc_start;
    return static_cast<uint64_t>(static_cast<unsigned __int128>(tsc_ticks) * PIT_FREQUENCY_HZ / elapsed);
}

// --- CMOS RTC (MC146818), the wall clock when there is no kvmclock ------------------
constexpr uint16_t CMOS_INDEX = 0x70;
constexpr uint16_t CMOS_DATA = 0x71;

uint8_t cmos_read(uint8_t reg)
{
    x86::outb(CMOS_INDEX, reg | 0x80);  // bit 7 keeps NMIs masked, as Linux does
    return x86::inb(CMOS_DATA);
}

struct RtcReading {
    uint8_t second, minute, hour, day, month, year, century, status_b;
    bool operator==(const RtcReading&) const = default;
};

RtcReading rtc_read_once()
{
    // Wait out an update in progress (status A bit 7) so the fields belong together.
    for (int spins = 0; spins < 100000 && (cmos_read(0x0a) & 0x80); ++spins) {
    }
    return RtcReading { cmos_read(0x00), cmos_read(0x02), cmos_read(0x04), cmos_read(0x07), cmos_read(0x08),
        cmos_read(0x09), cmos_read(0x32), cmos_read(0x0b) };
}

int from_bcd(uint8_t v) { return (v & 0x0f) + (v >> 4) * 10; }

int64_t rtc_unix_seconds()
{
    RtcReading a = rtc_read_once();
    for (int tries = 0; tries < 5; ++tries) {
        RtcReading b = rtc_read_once();
        if (a == b)
            break;
        a = b;
    }
    bool binary = a.status_b & 0x04;
    bool twenty_four_hour = a.status_b & 0x02;
    auto value = [&](uint8_t v) { return binary ? v : from_bcd(v); };
    int hour = value(a.hour & 0x7f);
    if (!twenty_four_hour && (a.hour & 0x80))
        hour = (hour % 12) + 12;
    else if (!twenty_four_hour && hour == 12)
        hour = 0;
    int century = a.century ? value(a.century) : 20;
    if (century < 19 || century > 30)
        century = 20;  // register 0x32 is only a convention (ACPI FADT names it)
    CivilTime t { century * 100 + value(a.year), value(a.month), value(a.day), hour, value(a.minute),
        value(a.second) };
    return unix_seconds(t);
}

// --- kvmclock ------------------------------------------------------------------------
constexpr uint32_t CPUID_KVM_SIGNATURE = 0x40000000;
constexpr uint32_t CPUID_KVM_FEATURES = 0x40000001;
constexpr uint32_t KVM_FEATURE_CLOCKSOURCE2 = 1 << 3;
constexpr uint32_t MSR_KVM_WALL_CLOCK_NEW = 0x4b564d00;
constexpr uint32_t MSR_KVM_SYSTEM_TIME_NEW = 0x4b564d01;

alignas(64) volatile PvclockWallClock g_pvclock_wall;

uint64_t physical_address_of(const volatile void* kernel_pointer)
{
    return reinterpret_cast<uint64_t>(kernel_pointer) - KERNEL_VIRT_BASE;
}

bool hypervisor_has_kvmclock()
{
    if (!(x86::cpuid(1).ecx & (1u << 31)))
        return false;  // no hypervisor bit
    auto signature = x86::cpuid(CPUID_KVM_SIGNATURE);
    // "KVMKVMKVM\0\0\0"
    if (signature.ebx != 0x4b4d564b || signature.ecx != 0x564b4d56 || signature.edx != 0x4d)
        return false;
    return x86::cpuid(CPUID_KVM_FEATURES).eax & KVM_FEATURE_CLOCKSOURCE2;
}

}  // namespace

// The clock state, alone in its page: that page is also the process's [vvar].
alignas(4096) volatile ClockData g_clock_data;
static_assert(sizeof(ClockData) <= 4096);
namespace {
uint64_t g_tsc_frequency_hz;
}

void clock_init()
{
    if (hypervisor_has_kvmclock()) {
        x86::wrmsr(MSR_KVM_SYSTEM_TIME_NEW, physical_address_of(&g_clock_data.pvclock) | 1);
        x86::wrmsr(MSR_KVM_WALL_CLOCK_NEW, physical_address_of(&g_pvclock_wall));
        g_clock_data.kvmclock_at_boot = kvmclock_now(g_clock_data);
        // The wall clock record holds the time at kvmclock's zero.
        uint64_t boot_epoch_ns = static_cast<uint64_t>(g_pvclock_wall.sec) * 1000000000ULL + g_pvclock_wall.nsec;
        g_clock_data.realtime_at_boot_ns = boot_epoch_ns + g_clock_data.kvmclock_at_boot;
        g_clock_data.mode = ClockMode::Kvmclock;
        return;
    }
    uint64_t frequency = calibrate_tsc_with_pit();
    if (frequency == 0) {
        kprintf("kiln: the PIT does not count; assuming a 1 GHz TSC\n");
        frequency = 1000000000ULL;
    }
    g_tsc_frequency_hz = frequency;
    g_clock_data.tsc_multiplier = TscScale(frequency).multiplier();
    g_clock_data.tsc_at_boot = x86::rdtsc();
    int64_t seconds = rtc_unix_seconds();
    g_clock_data.realtime_at_boot_ns = seconds > 0 ? static_cast<uint64_t>(seconds) * 1000000000ULL : 0;
    g_clock_data.mode = ClockMode::Tsc;
}

uint64_t monotonic_ns() { return clock_monotonic_ns(g_clock_data); }

uint64_t realtime_ns() { return clock_realtime_ns(g_clock_data); }

const char* clock_source_name() { return g_clock_data.mode == ClockMode::Kvmclock ? "kvmclock" : "tsc"; }

uint64_t tsc_frequency_hz()
{
    if (g_clock_data.mode == ClockMode::Tsc)
        return g_tsc_frequency_hz;
    if (g_clock_data.mode != ClockMode::Kvmclock || g_clock_data.pvclock.tsc_to_system_mul == 0)
        return 0;
    // kvmclock: ns = ((ticks << shift) * mul) >> 32, so ticks per second =
    // 10^9 * 2^32 / mul, scaled back by the shift.
    unsigned __int128 hz = (static_cast<unsigned __int128>(1000000000ULL) << 32) / g_clock_data.pvclock.tsc_to_system_mul;
    int shift = g_clock_data.pvclock.tsc_shift;
    return static_cast<uint64_t>(shift >= 0 ? hz >> shift : hz << -shift);
}

uint64_t clock_data_physical() { return physical_address_of(&g_clock_data); }

void delay_ns(uint64_t nanoseconds)
{
    uint64_t end = monotonic_ns() + nanoseconds;
    while (monotonic_ns() < end)
        asm volatile("pause");
}

}  // namespace kiln
