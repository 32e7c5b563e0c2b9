#pragma once

// Memory barriers between the driver and a device that runs concurrently on another
// (host) CPU. The split-virtqueue protocol needs three (2.7.13, 2.7.14):
//   - write barrier: descriptors and ring entries are visible before the idx that
//     publishes them;
//   - read barrier: the used idx is read before the used entries it covers;
//   - full barrier: the avail idx store is visible before the driver reads the
//     device's notification-suppression fields (a store followed by a load).
// x86-64 is TSO: only the full barrier needs an instruction (GCC emits mfence or a
// locked op for a seq_cst fence); the others only stop the compiler. Ring memory is
// ordinary cacheable RAM, so the "weak" (SMP) barriers are enough, as in Linux's
// virtio_ring with weak_barriers.

#include <atomic>

namespace kiln::virtio {

inline void virtio_wmb() { std::atomic_thread_fence(std::memory_order_release); }
inline void virtio_rmb() { std::atomic_thread_fence(std::memory_order_acquire); }
inline void virtio_mb() { std::atomic_thread_fence(std::memory_order_seq_cst); }

} // namespace kiln::virtio
