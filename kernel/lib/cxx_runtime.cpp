// The pieces of the C++ ABI a freestanding kernel still needs. Kernel only.

#include "dev/console.h"
#include "dev/power.h"

using InitFunction = void (*)();
extern "C" InitFunction __init_array_start[];
extern "C" InitFunction __init_array_end[];

namespace kiln {

// Runs global constructors. Kernel code avoids them (startup order is explicit in
// kernel_main), but a constexpr-less global with a constructor must still work.
void run_global_constructors()
{
    for (InitFunction* f = __init_array_start; f != __init_array_end; ++f)
        (*f)();
}

} // namespace kiln

extern "C" void __cxa_pure_virtual()
{
    kiln::kprintf("kiln: pure virtual function called\n");
    kiln::power_off(134);
}

// Globals with destructors register them here; the kernel never exits normally, so
// they never run.
extern "C" int __cxa_atexit(void (*)(void*), void*, void*) { return 0; }
void* __dso_handle = nullptr;

// Virtual destructors make the compiler emit "deleting destructors" that call operator
// delete. Kernel objects are freed through destroy() (lib/kalloc.h), never `delete`, so
// reaching these is a bug.
void operator delete(void*) noexcept
{
    kiln::kprintf("kiln: operator delete called; use kiln::destroy\n");
    kiln::power_off(134);
}
void operator delete(void*, unsigned long) noexcept
{
    kiln::kprintf("kiln: operator delete called; use kiln::destroy\n");
    kiln::power_off(134);
}
