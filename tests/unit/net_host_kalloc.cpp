// kalloc/kfree for the network stack's host tests and fuzzer: malloc-backed. Weak, so
// another host implementation linked into the same binary (virtio_host_kalloc.cpp)
// does not clash with this one.

#include <cstdlib>

#include "lib/kalloc.h"

namespace kiln {

__attribute__((weak)) void* kalloc(size_t size) { return std::malloc(size); }
__attribute__((weak)) void kfree(void* pointer) { std::free(pointer); }

} // namespace kiln
