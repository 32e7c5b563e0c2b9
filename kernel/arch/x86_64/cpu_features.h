#pragma once

#include <stdint.h>

namespace kiln::x86 {

struct CpuFeatures {
    char vendor[13];
    bool nx, fsgsbase, smep, smap, umip, xsave, avx, avx2, avx512f, rdrand, rdseed, invariant_tsc, pcid;
    uint64_t xcr0;          // the XSAVE features enabled for user space
    uint32_t xsave_size;    // bytes XSAVE needs for xcr0's features
};

// Reads CPUID and turns on what user space and the kernel rely on: SSE (OSFXSR,
// OSXMMEXCPT), XSAVE with every state component CPUID offers (glibc and V8 choose
// AVX2/AVX-512 code from CPUID, so the OS must enable the state or those instructions
// fault), FSGSBASE, SMEP, SMAP, UMIP, NX. Boot CPU, once.
const CpuFeatures& cpu_features_init();
const CpuFeatures& cpu_features();

}  // namespace kiln::x86
