// kiln::kalloc/kfree (lib/kalloc.h) on the kernel heap. Kernel only: host unit tests
// link a malloc-based kalloc instead, so this file is not a portable source.

#include "lib/kalloc.h"
#include "mm/heap.h"

namespace kiln {

void* kalloc(size_t size)
{
    mm::Heap* heap = mm::kernel_heap();
    return heap ? heap->allocate(size) : nullptr;
}

void kfree(void* pointer)
{
    if (mm::Heap* heap = mm::kernel_heap())
        heap->free(pointer);
}

} // namespace kiln
