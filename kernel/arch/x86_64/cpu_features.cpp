#include "arch/x86_64/cpu_features.h"

#include "arch/x86_64/cpu.h"

namespace kiln::x86 {
namespace {

CpuFeatures g_features;

constexpr uint64_t CR0_MP = 1 << 1;
constexpr uint64_t CR0_EM = 1 << 2;
constexpr uint64_t CR0_TS = 1 << 3;
constexpr uint64_t CR0_NE = 1 << 5;
constexpr uint64_t CR4_OSFXSR = 1 << 9;
constexpr uint64_t CR4_OSXMMEXCPT = 1 << 10;
constexpr uint64_t CR4_UMIP = 1 << 11;
constexpr uint64_t CR4_FSGSBASE = 1 << 16;
constexpr uint64_t CR4_OSXSAVE = 1 << 18;
constexpr uint64_t CR4_SMEP = 1 << 20;
constexpr uint64_t CR4_SMAP = 1 << 21;

// XCR0 state components (SDM vol. 1, 13.1) that user space may use: x87, SSE, AVX,
// AVX-512 (opmask, ZMM_Hi256, Hi16_ZMM). MPX, PT and AMX are left off: AMX needs
// per-process permission (arch_prctl ARCH_REQ_XCOMP_PERM) on Linux too.
constexpr uint64_t XCR0_USER_MASK = 0x1 | 0x2 | 0x4 | 0x20 | 0x40 | 0x80;

void write_cr0(uint64_t v) { asm volatile("mov %0, %%cr0" ::"r"(v) : "memory"); }
void write_cr4(uint64_t v) { asm volatile("mov %0, %%cr4" ::"r"(v) : "memory"); }
void xsetbv(uint32_t index, uint64_t value)
{
    asm volatile("xsetbv" ::"c"(index), "a"(static_cast<uint32_t>(value)), "d"(static_cast<uint32_t>(value >> 32)));
}

}  // namespace

const CpuFeatures& cpu_features_init()
{
    CpuFeatures& f = g_features;
    auto leaf0 = cpuid(0);
    uint32_t max_leaf = leaf0.eax;
    __builtin_memcpy(f.vendor, &leaf0.ebx, 4);
    __builtin_memcpy(f.vendor + 4, &leaf0.edx, 4);
    __builtin_memcpy(f.vendor + 8, &leaf0.ecx, 4);
    f.vendor[12] = '\0';

    auto leaf1 = cpuid(1);
    f.xsave = leaf1.ecx & (1 << 26);
    f.avx = leaf1.ecx & (1 << 28);
    f.rdrand = leaf1.ecx & (1 << 30);
    f.pcid = leaf1.ecx & (1 << 17);
    if (max_leaf >= 7) {
        auto leaf7 = cpuid(7, 0);
        f.fsgsbase = leaf7.ebx & (1 << 0);
        f.avx2 = leaf7.ebx & (1 << 5);
        f.smep = leaf7.ebx & (1 << 7);
        f.avx512f = leaf7.ebx & (1 << 16);
        f.rdseed = leaf7.ebx & (1 << 18);
        f.smap = leaf7.ebx & (1 << 20);
        f.umip = leaf7.ecx & (1 << 2);
    }
    uint32_t max_extended = cpuid(0x80000000).eax;
    if (max_extended >= 0x80000001)
        f.nx = cpuid(0x80000001).edx & (1 << 20);
    if (max_extended >= 0x80000007)
        f.invariant_tsc = cpuid(0x80000007).edx & (1 << 8);

    uint64_t cr0 = read_cr0();
    cr0 = (cr0 & ~(CR0_EM | CR0_TS)) | CR0_MP | CR0_NE;
    write_cr0(cr0);

    uint64_t cr4 = read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT;
    if (f.xsave)
        cr4 |= CR4_OSXSAVE;
    if (f.fsgsbase)
        cr4 |= CR4_FSGSBASE;
    if (f.smep)
        cr4 |= CR4_SMEP;
    if (f.smap)
        cr4 |= CR4_SMAP;
    if (f.umip)
        cr4 |= CR4_UMIP;
    write_cr4(cr4);

    if (f.xsave) {
        auto leaf_d = cpuid(0xd, 0);
        uint64_t supported = (static_cast<uint64_t>(leaf_d.edx) << 32) | leaf_d.eax;
        f.xcr0 = supported & XCR0_USER_MASK;
        // AVX-512 state is all-or-nothing (SDM vol. 1, 13.3): enable its three parts together.
        if ((f.xcr0 & 0xe0) != 0xe0)
            f.xcr0 &= ~0xe0ULL;
        xsetbv(0, f.xcr0);
        f.xsave_size = cpuid(0xd, 0).ebx;  // size for the features now enabled
    } else {
        f.xcr0 = 0x3;
        f.xsave_size = 512;  // FXSAVE area
    }
    if (!(f.xcr0 & 0x4)) {
        f.avx = false;
        f.avx2 = false;
    }
    if (!(f.xcr0 & 0xe0))
        f.avx512f = false;
    return f;
}

const CpuFeatures& cpu_features() { return g_features; }

}  // namespace kiln::x86
