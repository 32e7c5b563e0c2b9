#pragma once

// Readiness of a socket, as bits with the values of Linux's EPOLL*/POLL* constants so
// the socket layer can hand them to epoll unchanged.

#include <stdint.h>

namespace kiln::net {

namespace socket_events {
constexpr uint32_t IN = 0x001;
constexpr uint32_t OUT = 0x004;
constexpr uint32_t ERR = 0x008;
constexpr uint32_t HUP = 0x010;
constexpr uint32_t RDHUP = 0x2000;
} // namespace socket_events

// Called, in the stack's context, whenever a socket's readiness may have changed or new
// data / a new connection / free send space arrived (edge-triggered epoll needs the
// latter even when the mask is unchanged). `events` is the socket's current mask.
// The callback must not call back into the stack: it only marks and wakes.
struct SocketObserver {
    void* context = nullptr;
    void (*changed)(void* context, uint32_t events) = nullptr;
};

enum class Shutdown { Read, Write, Both };

} // namespace kiln::net
