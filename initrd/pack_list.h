#pragma once

// Which files of one package go into the image: npm pack's rules (npm-packlist 8 /
// npm 10, lib/index.js), so an app is packed the way `npm pack` would publish it and a
// dependency the way npm bundles it. See README.md, "What goes into /app".

#include <filesystem>
#include <string>
#include <vector>

#include "package_json.h"

namespace kiln::initrd {

enum class PackRules {
    // The app itself: npm's defaults, "files", .npmignore (else .gitignore), .kilnignore,
    // then the always-included and always-excluded files.
    App,
    // A package installed in node_modules: as npm packs a bundled dependency, its
    // "files" and the always rules at its root (its own .npmignore was applied when it
    // was published), and in subfolders the defaults and nested ignore files.
    Installed,
    // A package node_modules reaches through a symlink (a workspace, `npm link`): the
    // same rules as the app, since it was never published.
    Linked,
};

struct PackedEntry {
    std::string path; // relative to the package folder, '/'-separated
    bool symlink = false;
    std::string link_target; // symlinks only, as written
};

struct LeftOut {
    std::string path; // relative to the package folder; folders end in '/'
    std::string reason;
};

struct PackList {
    std::vector<PackedEntry> entries; // sorted by path; folders are implied
    std::vector<LeftOut> left_out; // what the rules excluded (a folder, not its contents)
    std::string error; // a file the image cannot hold (FIFO, socket, device)
};

// The package's own files, never its node_modules (dependencies are added by the
// closure walk). Symlinks that stay inside the package are kept as symlinks (npm drops
// them); ones that leave it are left out. Folders holding a built Kiln image
// (manifest.json next to root.erofs) are always left out, so `kiln build` output
// inside an app never ends up in the next image.
PackList pack_package(const std::filesystem::path& dir, const PackageJson& package, PackRules rules);

} // namespace kiln::initrd
