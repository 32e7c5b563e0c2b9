// kalloc/kfree for host tests of portable code that allocates through lib/kalloc.h
// (the virtio drivers). Weak, so another test file (or a future shared host
// implementation) may define them without a duplicate-symbol error.

#include <cstdlib>

#include "lib/kalloc.h"

namespace kiln {

__attribute__((weak)) void* kalloc(size_t size) { return std::malloc(size); }
__attribute__((weak)) void kfree(void* pointer) { std::free(pointer); }

} // namespace kiln
