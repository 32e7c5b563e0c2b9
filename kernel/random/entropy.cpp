#include "random/entropy.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpu_features.h"
#include "random/chacha20.h"

namespace kiln {
namespace {

ChaChaRng g_rng;
const char* g_source = "tsc jitter only";

bool rdseed64(uint64_t& out)
{
    for (int tries = 0; tries < 100; ++tries) {
        unsigned char ok;
        asm volatile("rdseed %0; setc %1" : "=r"(out), "=qm"(ok));
        if (ok)
            return true;
        asm volatile("pause");
    }
    return false;
}

bool rdrand64(uint64_t& out)
{
    for (int tries = 0; tries < 10; ++tries) {
        unsigned char ok;
        asm volatile("rdrand %0; setc %1" : "=r"(out), "=qm"(ok));
        if (ok)
            return true;
    }
    return false;
}

}  // namespace

void random_init()
{
    const auto& cpu = x86::cpu_features();
    uint64_t material[24] = {};
    size_t n = 0;
    bool used_rdseed = false, used_rdrand = false;
    for (int i = 0; i < 8; ++i) {
        uint64_t v = 0;
        if (cpu.rdseed && rdseed64(v)) {
            material[n++] = v;
            used_rdseed = true;
        } else if (cpu.rdrand && rdrand64(v)) {
            material[n++] = v;
            used_rdrand = true;
        }
    }
    g_source = used_rdseed ? "rdseed" : (used_rdrand ? "rdrand" : "tsc jitter only");
    // TSC jitter: timing of port I/O varies with host scheduling; weak alone, but it
    // keeps two boots without RDRAND from sharing a stream.
    for (int i = 0; i < 16; ++i) {
        uint64_t before = x86::rdtsc();
        (void)x86::inb(0x80);
        material[n++ % 24] ^= x86::rdtsc() - before + (before << 17);
    }
    g_rng.seed(reinterpret_cast<const uint8_t*>(material), sizeof(material));
    __builtin_memset(material, 0, sizeof(material));
}

void random_fill(uint8_t* out, size_t length) { g_rng.fill(out, length); }

const char* random_source_name() { return g_source; }

}  // namespace kiln
