// Boot test: a dynamically linked C++ program (ld.so, libstdc++, libgcc_s, libc).
// Exercises C++ exceptions (unwinding through libgcc_s), thread-local storage, iostreams,
// std::string and containers on the heap, mmap/munmap/mprotect, files and directory
// listing, and the clocks.
#include <dirent.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

thread_local int tls_counter = 7;

static int throws(int n)
{
    if (n > 2)
        throw std::runtime_error("deep " + std::to_string(n));
    return throws(n + 1);
}

int main(int argc, char** argv)
{
    try {
        throws(0);
    } catch (const std::exception& e) {
        std::cout << "cpp: caught " << e.what() << std::endl;
    }

    tls_counter += 35;
    std::cout << "cpp: tls " << tls_counter << std::endl;

    std::map<std::string, std::vector<int>> m;
    for (int i = 0; i < 1000; ++i)
        m["k" + std::to_string(i % 10)].push_back(i);
    std::cout << "cpp: map " << m.size() << " " << m["k3"].size() << std::endl;

    size_t length = 16 * 4096;
    auto* p = static_cast<unsigned char*>(mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    if (p == MAP_FAILED)
        return 2;
    std::memset(p, 0xab, length);
    if (mprotect(p, length, PROT_READ) != 0)
        return 3;
    std::cout << "cpp: mmap " << int(p[length - 1]) << std::endl;
    munmap(p, length);

    std::ifstream in("/kiln/manifest.json");
    std::string manifest((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::cout << "cpp: manifest has argv " << (manifest.find("\"argv\"") != std::string::npos ? "yes" : "no")
              << std::endl;

    int entries = 0;
    if (DIR* d = opendir("/kiln")) {
        while (readdir(d))
            ++entries;
        closedir(d);
    }
    std::cout << "cpp: /kiln entries " << entries << std::endl;

    auto start = std::chrono::steady_clock::now();
    volatile unsigned long spin = 0;
    for (unsigned long i = 0; i < 2000000; ++i)
        spin = spin + i;
    auto elapsed = std::chrono::steady_clock::now() - start;
    std::cout << "cpp: steady clock advances " << (elapsed.count() > 0 ? "yes" : "no") << std::endl;

    // /tmp is writable: create, append, rename, list, remove.
    {
        std::ofstream("/tmp/kiln-test.txt") << "written in the VM\n";
        std::ofstream("/tmp/kiln-test.txt", std::ios::app) << "second line\n";
        bool made = mkdir("/tmp/sub", 0755) == 0 && rename("/tmp/kiln-test.txt", "/tmp/sub/moved.txt") == 0;
        std::ifstream back("/tmp/sub/moved.txt");
        std::string first, second;
        std::getline(back, first);
        std::getline(back, second);
        bool readonly_root = std::ofstream("/kiln/new-file").fail();
        bool removed = unlink("/tmp/sub/moved.txt") == 0 && rmdir("/tmp/sub") == 0;
        std::cout << "cpp: tmp " << (made ? "made " : "no-mkdir ") << first << " / " << second
                  << (removed ? " removed" : " not-removed") << (readonly_root ? " root-readonly" : " root-writable")
                  << std::endl;
    }

    // The vDSO answers clock_gettime without a system call and agrees with the kernel.
    {
        bool present = getauxval(AT_SYSINFO_EHDR) != 0;
        timespec via_vdso {}, via_syscall {};
        clock_gettime(CLOCK_MONOTONIC, &via_vdso);
        syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &via_syscall);
        long long a = via_vdso.tv_sec * 1000000000LL + via_vdso.tv_nsec;
        long long b = via_syscall.tv_sec * 1000000000LL + via_syscall.tv_nsec;
        bool agrees = b >= a && b - a < 50000000;
        std::ifstream maps("/proc/self/maps");
        std::string text((std::istreambuf_iterator<char>(maps)), std::istreambuf_iterator<char>());
        bool mapped = text.find("[vdso]") != std::string::npos && text.find("[vvar]") != std::string::npos;
        std::cout << "cpp: vdso " << (present ? "present" : "absent") << (agrees ? " agrees" : " disagrees")
                  << (mapped ? " mapped" : " not-in-maps") << std::endl;
    }

    char cwd[256];
    std::cout << "cpp: cwd " << (getcwd(cwd, sizeof(cwd)) ? cwd : "?") << std::endl;
    return argc > 1 ? std::atoi(argv[1]) : 0;
}
