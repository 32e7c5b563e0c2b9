#include "arch/x86_64/gdt.h"

namespace kiln::x86 {
namespace {

struct [[gnu::packed]] Tss {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
};
static_assert(sizeof(Tss) == 104);

struct [[gnu::packed]] DescriptorPointer {
    uint16_t limit;
    uint64_t base;
};

constexpr uint64_t IST_STACK_SIZE = 16 * 1024;

alignas(16) Tss g_tss;
alignas(16) uint8_t g_ist_stacks[3][IST_STACK_SIZE];

// Null, kernel code, kernel data, user code (32-bit, unused but required by SYSRET's
// layout), user data, user code (64-bit), then the 16-byte TSS descriptor.
alignas(16) uint64_t g_gdt[8] = {
    0,
    0x00af9a000000ffff, // kernel code: present, DPL 0, executable, L=1
    0x00cf92000000ffff, // kernel data: present, DPL 0, writable
    0x00cffa000000ffff, // user code 32-bit: DPL 3
    0x00cff2000000ffff, // user data: DPL 3
    0x00affa000000ffff, // user code 64-bit: DPL 3, L=1
    0,
    0,
};

} // namespace

void gdt_init()
{
    for (int i = 0; i < 3; ++i)
        g_tss.ist[i] = reinterpret_cast<uint64_t>(&g_ist_stacks[i][IST_STACK_SIZE]);
    g_tss.iomap_base = sizeof(Tss); // no I/O permission bitmap: ring 3 gets no ports

    auto base = reinterpret_cast<uint64_t>(&g_tss);
    uint64_t limit = sizeof(Tss) - 1;
    // 64-bit TSS descriptor (SDM vol. 3, 8.2.3): type 9 (available), present.
    g_gdt[6] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ULL << 40) | (((limit >> 16) & 0xf) << 48)
        | (((base >> 24) & 0xff) << 56);
    g_gdt[7] = base >> 32;

    DescriptorPointer pointer { sizeof(g_gdt) - 1, reinterpret_cast<uint64_t>(g_gdt) };
    asm volatile("lgdt %0\n"
                 "pushq %1\n"
                 "leaq 1f(%%rip), %%rax\n"
                 "pushq %%rax\n"
                 "lretq\n"
                 "1:\n"
                 "mov %2, %%ds\n"
                 "mov %2, %%es\n"
                 "mov %2, %%ss\n"
                 :
                 : "m"(pointer), "i"(KERNEL_CODE_SELECTOR), "r"(static_cast<uint32_t>(KERNEL_DATA_SELECTOR))
                 : "rax", "memory");
    asm volatile("ltr %0" ::"r"(static_cast<uint16_t>(TSS_SELECTOR)));
}

void tss_set_kernel_stack(uint64_t rsp0) { g_tss.rsp[0] = rsp0; }

} // namespace kiln::x86
