// kiln build [dir] [-o out]: the app folder as a bootable image folder
// (dist/<name>.kiln: kernel, root.erofs, manifest.json), rebuilt only when an input
// changed.

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "app_image.h"
#include "arguments.h"
#include "commands.h"
#include "package_json.h"
#include "paths.h"

namespace kiln::cli {

namespace fs = std::filesystem;

namespace {

void print_build_help(FILE* out)
{
    std::fprintf(out,
        "usage: kiln build [dir] [-o out]\n"
        "\n"
        "Packs the app in dir (default: the current folder) into an image folder:\n"
        "  out/kernel         the Kiln kernel\n"
        "  out/root.erofs     the root filesystem: runtime, libraries, the app under /app\n"
        "  out/manifest.json  the app, the VM defaults (package.json \"kiln\") and the\n"
        "                     guest's argv/env\n"
        "The app's files are chosen as npm pack would (package.json \"files\", .npmignore\n"
        "or else .gitignore, and .kilnignore), plus the production dependencies found in\n"
        "node_modules. Builds are reproducible, and an unchanged app is not rebuilt.\n"
        "`kiln run out` boots the result; `kiln inspect out` lists it.\n"
        "\n"
        "options:\n"
        "  -o, --output DIR    where to write (default: dir/dist/<name>.kiln)\n"
        "  -q, --quiet         print nothing on success\n"
        "  -h, --help          this help\n");
}

bool looks_like_artifact(const fs::path& dir)
{
    std::error_code ec;
    if (!fs::exists(dir, ec))
        return true;
    if (!fs::is_directory(dir, ec))
        return false;
    if (fs::is_empty(dir, ec))
        return true;
    return fs::is_regular_file(dir / "root.erofs", ec) || fs::is_regular_file(dir / ".inputs", ec);
}

std::string megabytes(uint64_t bytes)
{
    char buffer[32];
    std::snprintf(buffer, sizeof(buffer), "%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
    return buffer;
}

} // namespace

int build_command(const std::vector<std::string>& raw)
{
    std::string app = ".";
    std::string output;
    bool have_app = false;
    bool quiet = false;
    Arguments a("build", raw);
    while (a.next()) {
        if (a.is("-h", "--help")) {
            print_build_help(stdout);
            return 0;
        } else if (a.is("-o", "--output")) {
            auto v = a.value();
            if (!v)
                return STATUS_USAGE;
            output = *v;
        } else if (a.is("-q", "--quiet")) {
            quiet = true;
        } else if (a.is_flag()) {
            return a.unknown();
        } else if (!have_app) {
            app = a.current();
            have_app = true;
        } else {
            std::fprintf(stderr, "kiln build: one app at a time (got %s and %s)\n", app.c_str(), a.current().c_str());
            return STATUS_USAGE;
        }
    }
    if (!a.rest().empty()) {
        std::fprintf(stderr, "kiln build: arguments after -- are for kiln run\n");
        return STATUS_USAGE;
    }
    auto start = std::chrono::steady_clock::now();
    std::error_code ec;
    if (!fs::is_directory(app, ec)) {
        std::fprintf(stderr, "kiln build: %s: no such app folder\n", app.c_str());
        return STATUS_USAGE;
    }
    initrd::PackageRead package = initrd::read_package_json(app);
    if (!package.package) {
        if (!fs::exists(fs::path(app) / "package.json", ec))
            std::fprintf(stderr,
                "kiln build: %s/package.json not found: an app folder needs a package.json (kiln new makes one)\n",
                app.c_str());
        else
            std::fprintf(stderr, "kiln build: %s\n", package.error.c_str());
        return STATUS_FAILED;
    }
    fs::path out = output.empty() ? default_artifact_dir(app, *package.package) : fs::path(output);
    if (!looks_like_artifact(out)) {
        std::fprintf(stderr, "kiln build: %s exists and is not a Kiln image folder; choose another -o\n", out.c_str());
        return STATUS_USAGE;
    }

    ImageRequest request;
    request.app_dir = app;
    request.out_dir = out;
    request.runtime = find_runtime();
    request.kernel = find_kernel();
    request.artifact = true;
    ImageResult result = ensure_image(request);
    if (!result.ok) {
        std::fprintf(stderr, "kiln build: %s\n", result.error.c_str());
        return STATUS_FAILED;
    }
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!quiet)
        std::printf("kiln: %s %s (root.erofs %s, %zu files from the app, %zu packages; %.2f s)\n", out.c_str(),
            result.reused ? "is up to date" : "built", megabytes(result.size).c_str(), result.app->files.size(),
            result.app->packages.size(), seconds);
    return 0;
}

} // namespace kiln::cli
