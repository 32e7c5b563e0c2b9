#include <gtest/gtest.h>

#include <ctime>

#include "time/civil_time.h"
#include "time/pvclock.h"
#include "time/tsc_scale.h"

using namespace kiln;

TEST(CivilTime, MatchesTimegmAcrossCenturiesAndLeapDays)
{
    const CivilTime cases[] = {
        { 1970, 1, 1, 0, 0, 0 },
        { 2000, 2, 29, 12, 30, 15 },
        { 2026, 11, 26, 5, 14, 32 },
        { 2100, 3, 1, 0, 0, 0 },
        { 2038, 1, 19, 3, 14, 8 },
        { 1999, 12, 31, 23, 59, 59 },
    };
    for (const auto& c : cases) {
        std::tm tm {};
        tm.tm_year = c.year - 1900;
        tm.tm_mon = c.month - 1;
        tm.tm_mday = c.day;
        tm.tm_hour = c.hour;
        tm.tm_min = c.minute;
        tm.tm_sec = c.second;
        EXPECT_EQ(unix_seconds(c), static_cast<int64_t>(timegm(&tm))) << c.year << "-" << c.month << "-" << c.day;
    }
}

TEST(CivilTime, RejectsOutOfRangeFields)
{
    EXPECT_EQ(unix_seconds({ 2026, 13, 1, 0, 0, 0 }), -1);
    EXPECT_EQ(unix_seconds({ 2026, 1, 0, 0, 0, 0 }), -1);
    EXPECT_EQ(unix_seconds({ 2026, 1, 1, 24, 0, 0 }), -1);
    EXPECT_EQ(unix_seconds({ 2026, 1, 1, 0, 60, 0 }), -1);
}

TEST(TscScale, ConvertsTicksToNanoseconds)
{
    // The 32.32 multiplier is rounded down: below a nanosecond per second of error.
    TscScale three_ghz(3000000000ULL);
    EXPECT_NEAR(static_cast<double>(three_ghz.nanoseconds(3000000000ULL)), 1e9, 1.0);
    EXPECT_NEAR(static_cast<double>(three_ghz.nanoseconds(3)), 1.0, 1.0);
    TscScale odd(2399987000ULL);
    // An hour of ticks stays within a microsecond.
    uint64_t hour_ticks = 2399987000ULL * 3600;
    EXPECT_NEAR(static_cast<double>(odd.nanoseconds(hour_ticks)), 3600e9, 1000.0);
}

TEST(Pvclock, AppliesShiftAndMultiplier)
{
    PvclockTimeInfo info {};
    info.tsc_timestamp = 1000;
    info.system_time = 5000;
    info.tsc_to_system_mul = 0x80000000u;  // 0.5
    info.tsc_shift = 1;                    // x2
    EXPECT_EQ(pvclock_nanoseconds(info, 1000 + 400), 5000u + 400u);
    info.tsc_shift = -1;
    EXPECT_EQ(pvclock_nanoseconds(info, 1000 + 400), 5000u + 100u);
}
