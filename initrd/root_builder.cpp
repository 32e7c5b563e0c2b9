#include "root_builder.h"

#include <cstdio>
#include <fstream>

#include "app_manifest.h"
#include "json_tree.h"
#include "library_closure.h"
#include "mkfs_erofs.h"
#include "staging.h"

namespace kiln::initrd {

namespace fs = std::filesystem;

namespace {

// Where things go in the image (see README.md).
constexpr const char* PROGRAM_DIR = "/kiln/bin/";
constexpr const char* LIBRARY_DIR = "lib/x86_64-linux-gnu";

BuildResult fail(std::string message) { return { false, std::move(message), 0 }; }

// The program, its loader and libraries, as ld.so will look for them in the VM: the
// interpreter at its PT_INTERP path, every library in the multiarch folder that
// Debian's ld.so searches by default.
std::string stage_program(const fs::path& program, const std::string& in_image, const fs::path& root)
{
    ClosureResult resolved = resolve_library_closure(program, SearchConfig::host());
    if (!resolved.closure)
        return resolved.error;
    const LibraryClosure& closure = *resolved.closure;

    fs::path libdir = root / LIBRARY_DIR;
    for (const char* dir : { "kiln/bin", LIBRARY_DIR })
        if (std::string error = stage_dir(root / dir); !error.empty())
            return error;
    if (std::string error = stage_file(program, root / fs::path(in_image).relative_path()); !error.empty())
        return error;

    std::error_code ec;
    if (closure.interpreter) {
        fs::path interp = root / fs::path(closure.interpreter->path).relative_path();
        if (std::string error = stage_dir(interp.parent_path()); !error.empty())
            return error;
        if (std::string error = stage_file(closure.interpreter->file, interp); !error.empty())
            return error;
        // libnode lists ld-linux-x86-64.so.2 in DT_NEEDED. ld.so answers that with
        // itself, but mirroring Debian's layout (the loader also in the multiarch
        // folder) keeps every DT_NEEDED findable there; a hard link costs no space.
        fs::path alias = libdir / closure.interpreter->soname;
        if (!fs::exists(alias, ec))
            fs::create_hard_link(interp, alias, ec);
        if (ec)
            return "cannot link " + alias.string() + ": " + ec.message();
    }
    for (const SharedLibrary& library : closure.libraries) {
        if (std::string error = stage_file(library.file, libdir / library.name); !error.empty())
            return error;
        // Another object may ask for the library by its soname instead.
        if (library.soname != library.name && !fs::exists(libdir / library.soname, ec))
            fs::create_hard_link(libdir / library.name, libdir / library.soname, ec);
        if (ec)
            return "cannot link " + library.soname + ": " + ec.message();
    }
    return {};
}

std::string stage_manifest(const Manifest& manifest, const fs::path& root)
{
    return stage_text(manifest_json(manifest), root / "kiln/manifest.json");
}

} // namespace

std::vector<std::string> app_environment(const AppContents& app, const std::vector<std::string>& extra)
{
    // Nothing from the host's environment: the image must not depend on who built it.
    std::vector<std::string> env = { "NODE_ENV=production" };
    auto set = [&](const std::string& entry) {
        std::string key = entry.substr(0, entry.find('='));
        for (std::string& existing : env) {
            if (existing.compare(0, key.size() + 1, key + "=") == 0) {
                existing = entry;
                return;
            }
        }
        env.push_back(entry);
    };
    for (const auto& [key, value] : app.package.kiln.env)
        set(key + "=" + value);
    for (const std::string& entry : extra)
        set(entry);
    return env;
}

std::vector<std::string> app_arguments(const AppContents& app, const std::vector<std::string>& extra)
{
    std::vector<std::string> args = { "/app/" + app.main };
    args.insert(args.end(), app.package.kiln.args.begin(), app.package.kiln.args.end());
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

std::string build_info_json(const AppContents& app)
{
    std::string out = "{\n  \"version\": 1,\n";
    out += "  \"app\": { \"name\": " + json_quote(app.package.name)
        + ", \"version\": " + json_quote(app.package.version) + ", \"main\": " + json_quote(app.main) + " },\n";
    out += "  \"packages\": [";
    for (size_t i = 0; i < app.packages.size(); ++i) {
        const AppPackage& p = app.packages[i];
        out += std::string(i ? "," : "") + "\n    { \"name\": " + json_quote(p.name)
            + ", \"version\": " + json_quote(p.version) + ", \"path\": " + json_quote("/" + p.image_dir)
            + (p.linked ? ", \"linked\": true" : "") + " }";
    }
    out += app.packages.empty() ? "],\n" : "\n  ],\n";
    out += "  \"left_out\": [";
    for (size_t i = 0; i < app.left_out.size(); ++i) {
        const LeftOut& l = app.left_out[i];
        out += std::string(i ? "," : "") + "\n    { \"path\": " + json_quote(l.path)
            + ", \"reason\": " + json_quote(l.reason) + " }";
    }
    out += app.left_out.empty() ? "]\n" : "\n  ]\n";
    return out + "}\n";
}

BuildResult build_root_image(const RootImageSpec& spec)
{
    std::error_code ec;
    if (!fs::is_regular_file(spec.runtime_path, ec))
        return fail(
            "runtime " + spec.runtime_path.string() + " not found: build it (scripts/build) or set KILN_RUNTIME");
    AppScan scanned;
    const AppContents* app = spec.contents;
    if (!app) {
        scanned = scan_app(spec.app_dir);
        if (!scanned.contents)
            return fail(scanned.error);
        app = &*scanned.contents;
    }
    for (const std::string& entry : spec.env)
        if (entry.find('=') == std::string::npos || entry[0] == '=')
            return fail("environment entry \"" + entry + "\" must look like KEY=value");

    ProgramImageSpec program;
    program.program = spec.runtime_path;
    program.args = app_arguments(*app, spec.args);
    program.env = app_environment(*app, spec.env);
    program.cwd = "/app";
    program.app_files = &app->files;
    program.texts = { { "kiln/build-info.json", build_info_json(*app) } };
    program.output_path = spec.output_path;
    return build_program_image(program);
}

BuildResult build_program_image(const ProgramImageSpec& spec)
{
    std::error_code ec;
    if (!fs::is_regular_file(spec.program, ec))
        return fail("program " + spec.program.string() + " not found");
    std::string in_image = PROGRAM_DIR + spec.program.filename().string();

    TempFolder scratch(spec.output_path);
    if (!scratch.ok())
        return fail("cannot create a staging folder next to " + spec.output_path.string());
    fs::path root = scratch.path() / "root";

    // The kernel mounts pseudo-files over /dev, /proc and /sys; /tmp is sticky and
    // world-writable as on Linux (it stays read-only until something is mounted there).
    for (const char* dir : { "dev", "proc", "sys" })
        if (std::string error = stage_dir(root / dir); !error.empty())
            return fail(error);
    if (std::string error = stage_dir(root / "tmp", fs::perms(01777)); !error.empty())
        return fail(error);
    if (std::string error = stage_program(spec.program, in_image, root); !error.empty())
        return fail(error);
    if (spec.app_files) {
        if (std::string error = stage_dir(root / "app"); !error.empty())
            return fail(error);
        if (std::string error = stage_files(*spec.app_files, root); !error.empty())
            return fail(error);
    } else if (!spec.app_dir.empty()) {
        if (std::string error = stage_tree(spec.app_dir, root / "app"); !error.empty())
            return fail(error);
    }
    for (const auto& [path, text] : spec.texts) {
        fs::path target = root / path;
        if (std::string error = stage_dir(target.parent_path()); !error.empty())
            return fail(error);
        if (std::string error = stage_text(text, target); !error.empty())
            return fail(error);
    }
    for (const auto& [from, to] : spec.files) {
        fs::path target = root / fs::path(to).relative_path();
        if (std::string error = stage_dir(target.parent_path()); !error.empty())
            return fail(error);
        if (std::string error = stage_file(from, target); !error.empty())
            return fail(error);
    }
    Manifest manifest;
    manifest.argv = { in_image };
    manifest.argv.insert(manifest.argv.end(), spec.args.begin(), spec.args.end());
    manifest.env = spec.env;
    manifest.cwd = spec.cwd;
    if (std::string error = stage_manifest(manifest, root); !error.empty())
        return fail(error);
    // The root folder's own mode is in the image too.
    fs::permissions(root, fs::perms(0755), ec);

    fs::path temporary = scratch.path() / "image.erofs";
    if (std::string error = run_mkfs_erofs(root, temporary, scratch.path()); !error.empty())
        return fail(error);
    fs::permissions(temporary, fs::perms(0644), ec);
    uint64_t size = fs::file_size(temporary, ec);
    fs::rename(temporary, spec.output_path, ec);
    if (ec)
        return fail("cannot write " + spec.output_path.string() + ": " + ec.message());
    return { true, {}, size };
}

} // namespace kiln::initrd
