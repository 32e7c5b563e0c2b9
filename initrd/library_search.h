#pragma once

// Where glibc's loader looks for a DT_NEEDED library on this host, reproduced for the
// image builder (ld.so(8), "Dynamic linking" search order):
//   1. DT_RPATH of the object that needs it and of the chain of objects that loaded
//      that one, then of the executable - only if the object has no DT_RUNPATH;
//   2. LD_LIBRARY_PATH - deliberately ignored: the image must not depend on the shell
//      that built it;
//   3. DT_RUNPATH of the object that needs it (not of its loaders);
//   4. /etc/ld.so.cache, approximated by the folders /etc/ld.so.conf lists;
//   5. the default folders.
// $ORIGIN, $LIB and $PLATFORM in RPATH/RUNPATH expand as ld.so(8) says.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace kiln::initrd {

struct SearchConfig {
    // From /etc/ld.so.conf and its includes, in file order.
    std::vector<std::filesystem::path> conf_dirs;
    std::vector<std::filesystem::path> default_dirs;

    // This host's configuration.
    static SearchConfig host();
};

// Folders listed by an ld.so.conf file, following `include` globs (sorted, as
// ldconfig reads them) and skipping comments and `hwcap` lines. Missing files give
// nothing.
std::vector<std::filesystem::path> read_ld_so_conf(const std::filesystem::path& conf);

// Splits a DT_RPATH/DT_RUNPATH value at ':' and expands $ORIGIN / ${ORIGIN} (the folder
// of the object that carries it), $LIB and $PLATFORM. Empty entries are dropped.
std::vector<std::filesystem::path> expand_search_path(std::string_view value, const std::filesystem::path& origin);

} // namespace kiln::initrd
