#pragma once

// Kernel object allocation. `make<T>` / `destroy` are the only way kernel code creates
// objects dynamically; both are explicit at the call site (no hidden allocation), and
// allocation failure is a value (nullptr), never an exception. Not for interrupt context.
//
// The kernel implements kalloc/kfree on its heap (mm/); host unit tests of portable code
// link a malloc-based implementation.

#include <stddef.h>

#include <new>
#include <utility>

namespace kiln {

void* kalloc(size_t size);
void kfree(void* pointer);

template <typename T, typename... Args>
T* make(Args&&... args)
{
    void* memory = kalloc(sizeof(T));
    if (!memory)
        return nullptr;
    return new (memory) T(std::forward<Args>(args)...);
}

template <typename T>
void destroy(T* object)
{
    if (!object)
        return;
    object->~T();
    kfree(object);
}

}  // namespace kiln
