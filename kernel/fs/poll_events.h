#pragma once

#include <stdint.h>

namespace kiln {

// Readiness bits shared by poll(2) and epoll(7) (the values coincide on Linux).
inline constexpr uint32_t POLL_IN = 0x001;
inline constexpr uint32_t POLL_PRI = 0x002;
inline constexpr uint32_t POLL_OUT = 0x004;
inline constexpr uint32_t POLL_ERR = 0x008;
inline constexpr uint32_t POLL_HUP = 0x010;
inline constexpr uint32_t POLL_NVAL = 0x020;
inline constexpr uint32_t POLL_RDNORM = 0x040;
inline constexpr uint32_t POLL_WRNORM = 0x100;
inline constexpr uint32_t POLL_RDHUP = 0x2000;

}  // namespace kiln
