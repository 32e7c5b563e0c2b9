#pragma once

// What of an app folder goes into the image under /app: the app's own files as
// `npm pack` selects them (pack_list.h) plus its production dependency closure from
// node_modules, resolved the way Node resolves require() on the host and placed so
// that Node's resolution inside the image finds the same packages. Everything is
// decided, and every problem reported, before anything is written.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "pack_list.h"
#include "package_json.h"

namespace kiln::initrd {

struct AppFile {
    std::filesystem::path source; // the host file (regular files)
    std::string image_path; // relative to the image root, e.g. "app/node_modules/ms/index.js"
    bool symlink = false;
    std::string link_target; // symlinks only
};

struct AppPackage {
    std::string name;
    std::string version;
    std::string image_dir; // e.g. "app/node_modules/@scope/name"
    bool linked = false; // reached through a symlink (workspace, npm link)
};

struct AppContents {
    PackageJson package;
    std::string main; // the entry, relative to the app folder ("index.js")
    std::vector<AppFile> files; // sorted by image_path
    std::vector<AppPackage> packages; // sorted by image_dir
    std::vector<LeftOut> left_out; // relative to the app folder: its own files and node_modules entries
};

struct AppScan {
    std::optional<AppContents> contents;
    std::string error; // every problem found, one per line, when !contents
};

// Problems reported (all of them, not just the first): no or unreadable package.json,
// an entry that does not exist, a dependency that is not installed (optional ones are
// left out instead), a native addon (a .node file or binding.gyp) in the app or any
// included package, a special file, two versions of a package that cannot both be
// placed where Node would find them.
AppScan scan_app(const std::filesystem::path& app_dir);

} // namespace kiln::initrd
