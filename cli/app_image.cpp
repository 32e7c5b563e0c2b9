#include "app_image.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>

#include "json_tree.h"
#include "library_closure.h"
#include "root_builder.h"
#include "staging.h"

namespace kiln::cli {

namespace fs = std::filesystem;
using initrd::json_quote;
using initrd::json_quote_all;

namespace {

std::string describe(const fs::path& path)
{
    struct stat st { };
    if (::stat(path.c_str(), &st) != 0)
        return path.string() + " missing";
    char buffer[128];
    std::snprintf(buffer, sizeof(buffer), " %lld %lld.%09ld %llu", static_cast<long long>(st.st_size),
        static_cast<long long>(st.st_mtim.tv_sec), st.st_mtim.tv_nsec, static_cast<unsigned long long>(st.st_ino));
    return path.string() + buffer;
}

std::string read_text(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// Writes under a temporary name and renames into place, so readers see the old file or
// the new one, never half of one.
std::string write_atomically(const fs::path& path, const std::string& text)
{
    fs::path temporary = path;
    temporary += ".tmp-" + std::to_string(::getpid());
    if (std::string error = initrd::stage_text(text, temporary); !error.empty())
        return error;
    std::error_code ec;
    fs::rename(temporary, path, ec);
    if (ec) {
        fs::remove(temporary, ec);
        return "cannot write " + path.string() + ": " + ec.message();
    }
    return {};
}

std::string copy_atomically(const fs::path& from, const fs::path& to)
{
    fs::path temporary = to;
    temporary += ".tmp-" + std::to_string(::getpid());
    if (std::string error = initrd::stage_file(from, temporary); !error.empty())
        return error;
    std::error_code ec;
    fs::rename(temporary, to, ec);
    if (ec) {
        fs::remove(temporary, ec);
        return "cannot write " + to.string() + ": " + ec.message();
    }
    return {};
}

} // namespace

std::string short_hash(const std::string& text)
{
    uint64_t hash = 0xcbf29ce484222325ull;
    for (unsigned char c : text) {
        hash ^= c;
        hash *= 0x100000001b3ull;
    }
    char buffer[17];
    std::snprintf(buffer, sizeof(buffer), "%016llx", static_cast<unsigned long long>(hash));
    return buffer;
}

fs::path default_artifact_dir(const fs::path& app_dir, const initrd::PackageJson& package)
{
    std::string name = initrd::file_safe_name(package.name);
    if (name.empty()) {
        std::error_code ec;
        name = initrd::file_safe_name(fs::weakly_canonical(fs::absolute(app_dir), ec).filename().string());
    }
    if (name.empty())
        name = "app";
    return app_dir / "dist" / (name + ".kiln");
}

fs::path cache_root()
{
    fs::path root;
    if (const char* dir = std::getenv("KILN_CACHE_DIR"); dir && *dir)
        root = dir;
    else if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
        root = fs::path(xdg) / "kiln";
    else if (const char* home = std::getenv("HOME"); home && *home)
        root = fs::path(home) / ".cache" / "kiln";
    else
        root = fs::temp_directory_path() / ("kiln-cache-" + std::to_string(::getuid()));
    return root;
}

fs::path cache_slot(const fs::path& app_dir, const initrd::PackageJson& package, const std::string& variant)
{
    std::error_code ec;
    fs::path real = fs::weakly_canonical(fs::absolute(app_dir), ec);
    std::string name = initrd::file_safe_name(package.name);
    if (name.empty())
        name = "app";
    return cache_root() / "apps" / (name + "-" + short_hash(real.string())) / variant;
}

std::string inputs_fingerprint(const ImageRequest& request, const initrd::AppContents& app, std::string& error)
{
    std::string out = "kiln image inputs 1\n";
    std::error_code ec;
    out += "kiln " + describe(fs::read_symlink("/proc/self/exe", ec)) + "\n";
    for (const std::string& entry : request.env)
        out += "env " + entry + "\n";
    for (const std::string& arg : request.args)
        out += "arg " + arg + "\n";
    if (request.artifact)
        out += "kernel " + describe(request.kernel) + "\n";
    out += "runtime " + describe(request.runtime) + "\n";
    auto closure = initrd::resolve_library_closure(request.runtime, initrd::SearchConfig::host());
    if (!closure.closure) {
        error = closure.error;
        return {};
    }
    if (closure.closure->interpreter)
        out += "interpreter " + describe(closure.closure->interpreter->file) + "\n";
    for (const initrd::SharedLibrary& library : closure.closure->libraries)
        out += "library " + library.name + " " + describe(library.file) + "\n";
    for (const initrd::AppFile& file : app.files) {
        if (file.symlink)
            out += "link /" + file.image_path + " -> " + file.link_target + "\n";
        else
            out += "file /" + file.image_path + " " + describe(file.source) + "\n";
    }
    return out;
}

std::string artifact_manifest(
    const initrd::AppContents& app, const std::vector<std::string>& env, const std::vector<std::string>& args)
{
    const initrd::KilnSettings& kiln = app.package.kiln;
    std::string out = "{\n  \"kiln_image\": 1,\n";
    out += "  \"app\": { \"name\": " + json_quote(app.package.name)
        + ", \"version\": " + json_quote(app.package.version) + " },\n";
    out += "  \"kernel\": \"kernel\",\n  \"root\": \"root.erofs\",\n";
    out += "  \"vm\": {\n";
    out += "    \"memory\": " + json_quote(kiln.memory) + ",\n";
    out += "    \"ports\": " + json_quote_all(kiln.ports) + ",\n";
    out += "    \"disks\": " + json_quote_all(kiln.disks) + ",\n";
    out += "    \"append\": " + json_quote(kiln.append) + "\n  },\n";
    std::vector<std::string> argv = { "/kiln/bin/kiln-runtime" };
    for (const std::string& arg : initrd::app_arguments(app, args))
        argv.push_back(arg);
    out += "  \"guest\": {\n";
    out += "    \"argv\": " + json_quote_all(argv) + ",\n";
    out += "    \"env\": " + json_quote_all(initrd::app_environment(app, env)) + ",\n";
    out += "    \"cwd\": \"/app\"\n  }\n}\n";
    return out;
}

ImageResult ensure_image(const ImageRequest& request)
{
    ImageResult result;
    std::error_code ec;
    if (!fs::is_regular_file(request.runtime, ec)) {
        result.error = "kiln-runtime not found; build it (scripts/build) or set KILN_RUNTIME";
        return result;
    }
    if (request.artifact && !fs::is_regular_file(request.kernel, ec)) {
        result.error = "kernel not found; build it (scripts/build) or set KILN_KERNEL";
        return result;
    }
    initrd::AppScan scan = initrd::scan_app(request.app_dir);
    if (!scan.contents) {
        result.error = scan.error;
        return result;
    }
    result.app = std::move(scan.contents);
    const initrd::AppContents& app = *result.app;
    std::string error;
    std::string fingerprint = inputs_fingerprint(request, app, error);
    if (!error.empty()) {
        result.error = error;
        return result;
    }
    fs::path root = request.out_dir / "root.erofs";
    fs::path inputs = request.out_dir / ".inputs";
    result.root_image = root;
    bool complete = fs::is_regular_file(root, ec)
        && (!request.artifact
            || (fs::is_regular_file(request.out_dir / "kernel", ec)
                && fs::is_regular_file(request.out_dir / "manifest.json", ec)));
    if (complete && read_text(inputs) == fingerprint) {
        result.ok = true;
        result.reused = true;
        result.size = fs::file_size(root, ec);
        return result;
    }
    if (request.check_only)
        return result;

    bool created = !fs::exists(request.out_dir, ec);
    fs::create_directories(request.out_dir, ec);
    if (ec) {
        result.error = "cannot create " + request.out_dir.string() + ": " + ec.message();
        return result;
    }
    auto fail = [&](std::string message) {
        std::error_code ignored;
        if (created)
            fs::remove_all(request.out_dir, ignored);
        result.error = std::move(message);
        return result;
    };
    // A stale fingerprint must never describe a new image: drop it first.
    fs::remove(inputs, ec);
    initrd::RootImageSpec spec { request.app_dir, request.runtime, root, request.env, request.args, &app };
    initrd::BuildResult built = initrd::build_root_image(spec);
    if (!built.ok)
        return fail(built.error);
    if (request.artifact) {
        if (std::string e = copy_atomically(request.kernel, request.out_dir / "kernel"); !e.empty())
            return fail(e);
        if (std::string e
            = write_atomically(request.out_dir / "manifest.json", artifact_manifest(app, request.env, request.args));
            !e.empty())
            return fail(e);
    }
    if (std::string e = write_atomically(inputs, fingerprint); !e.empty())
        return fail(e);
    result.ok = true;
    result.size = built.image_size;
    return result;
}

} // namespace kiln::cli
