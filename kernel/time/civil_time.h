#pragma once

// Calendar arithmetic for the wall clock: converting the RTC's date and time to seconds
// since the Unix epoch. Portable, unit-tested on the host.

#include <stdint.h>

namespace kiln {

struct CivilTime {
    int year;    // e.g. 2026
    int month;   // 1-12
    int day;     // 1-31
    int hour;    // 0-23
    int minute;  // 0-59
    int second;  // 0-59 (60 for a leap second is folded into the next minute)
};

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
int64_t days_from_civil(int year, int month, int day);

// Seconds since the epoch (UTC); -1 when a field is out of range.
int64_t unix_seconds(const CivilTime& t);

}  // namespace kiln
