#pragma once

// The files a dynamically linked program needs to start: its interpreter (PT_INTERP)
// and every shared library in the DT_NEEDED closure, found the way glibc's loader
// would find them on this host (see library_search.h). Uses the kernel's ELF parser
// (kernel/exec/elf*.h), so the builder and the kernel agree on what an ELF file says.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "library_search.h"

namespace kiln::initrd {

struct SharedLibrary {
    std::string name; // the DT_NEEDED name ld.so will search for
    std::string soname; // its DT_SONAME (the name when it has none)
    std::filesystem::path file; // the real file on the host, symlinks resolved
    std::string needed_by; // the first object that needed it, for messages
};

struct Interpreter {
    std::string path; // PT_INTERP, e.g. /lib64/ld-linux-x86-64.so.2
    std::string soname; // its DT_SONAME; a DT_NEEDED of this name is the loader itself
    std::filesystem::path file; // the real file on the host
};

struct LibraryClosure {
    std::optional<Interpreter> interpreter; // none for a static executable
    std::vector<SharedLibrary> libraries; // breadth-first, the loader's order
};

struct ClosureResult {
    std::optional<LibraryClosure> closure;
    std::string error; // when !closure: what is missing and who needs it
};

ClosureResult resolve_library_closure(const std::filesystem::path& executable, const SearchConfig& config);

} // namespace kiln::initrd
