#pragma once

// package.json as the packager needs it: the fields npm uses to decide what a package
// contains and what it depends on, and the app's "kiln" section (VM settings).
// Reference: https://docs.npmjs.com/cli/configuring-npm/package-json

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kiln::initrd {

// The "kiln" section: defaults for the VM that runs the app. Values are kept as
// written (ports and disks as strings, "8080:80" / "data.img:64M,ro"); the CLI parses
// them with the same code as its flags, so the two accept the same syntax.
struct KilnSettings {
    std::string memory; // empty: the CLI's default
    std::vector<std::pair<std::string, std::string>> env; // added to the image's environment
    std::vector<std::string> args; // appended to the entry's argv
    std::vector<std::string> ports;
    std::vector<std::string> disks;
    std::string append; // extra kernel command-line words
};

struct PackageJson {
    std::filesystem::path path; // the package.json file
    std::string name; // may be empty (apps need not have one)
    std::string version;
    std::optional<std::string> main;
    std::string type; // "module", "commonjs" or empty
    bool has_exports = false;
    std::optional<std::string> browser;
    std::vector<std::string> bin; // files the "bin" field names
    std::vector<std::string> dependencies;
    std::vector<std::string> optional_dependencies;
    std::vector<std::string> peer_dependencies;
    std::vector<std::string> optional_peers; // peerDependenciesMeta.<name>.optional
    std::vector<std::string> dev_dependencies;
    std::vector<std::string> bundle_dependencies; // names; see bundle_all
    bool bundle_all = false; // "bundleDependencies": true
    std::optional<std::vector<std::string>> files;
    KilnSettings kiln;
};

struct PackageRead {
    std::optional<PackageJson> package;
    std::string error; // names the file and the field, when !package
};

// Reads <dir>/package.json. Fields of the wrong type are errors that name the field;
// unknown fields are ignored, except inside "kiln", where a typo would silently do
// nothing, so unknown keys there are errors too.
PackageRead read_package_json(const std::filesystem::path& dir);

// "@scope/name" → "scope-name", anything outside [A-Za-z0-9._-] → '-': a name that is
// safe as a file name (dist/<name>.kiln). Empty input gives empty output.
std::string file_safe_name(const std::string& package_name);

} // namespace kiln::initrd
