// kiln inspect <image>: what a built image holds, read with the kernel's own EROFS
// reader: the manifest, the app and its packages, every file with its size, the total,
// and what the build left out.

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "arguments.h"
#include "commands.h"
#include "image_reader.h"
#include "json_tree.h"

namespace kiln::cli {

namespace fs = std::filesystem;

namespace {

void print_inspect_help(FILE* out)
{
    std::fprintf(out,
        "usage: kiln inspect <image> [--files-only]\n"
        "\n"
        "Lists a built image: a folder from kiln build (dist/<name>.kiln) or a root image\n"
        "file. Prints the manifest the kernel starts the app with, the VM defaults, the\n"
        "packages taken from node_modules, every file with its mode and size, the total,\n"
        "and what the build left out (from /kiln/build-info.json).\n"
        "\n"
        "options:\n"
        "  --files-only        print only the file lines: MODE SIZE PATH [-> TARGET]\n"
        "  -h, --help          this help\n");
}

std::string strings(const initrd::JsonNode* array)
{
    std::string out;
    if (array)
        for (const auto& item : array->items)
            out += (out.empty() ? "" : " ") + item.text;
    return out;
}

std::string mib(uint64_t bytes)
{
    char buffer[32];
    std::snprintf(buffer, sizeof(buffer), "%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
    return buffer;
}

} // namespace

int inspect_command(const std::vector<std::string>& raw)
{
    std::string target;
    bool files_only = false;
    Arguments a("inspect", raw);
    while (a.next()) {
        if (a.is("-h", "--help")) {
            print_inspect_help(stdout);
            return 0;
        } else if (a.is("--files-only")) {
            files_only = true;
        } else if (a.is_flag()) {
            return a.unknown();
        } else if (target.empty()) {
            target = a.current();
        } else {
            std::fprintf(stderr, "kiln inspect: one image at a time\n");
            return STATUS_USAGE;
        }
    }
    if (target.empty()) {
        std::fprintf(
            stderr, "kiln inspect: which image? e.g. kiln inspect dist/hello.kiln (see kiln inspect --help)\n");
        return STATUS_USAGE;
    }
    std::error_code ec;
    fs::path image = target;
    fs::path artifact_manifest;
    if (fs::is_directory(target, ec)) {
        image = fs::path(target) / "root.erofs";
        artifact_manifest = fs::path(target) / "manifest.json";
        if (!fs::is_regular_file(image, ec)) {
            std::fprintf(stderr, "kiln inspect: %s holds no root.erofs; build the app first (kiln build %s)\n",
                target.c_str(), target.c_str());
            return STATUS_USAGE;
        }
    }
    initrd::ImageListing listing = initrd::list_image(image);
    if (!listing.error.empty()) {
        std::fprintf(stderr, "kiln inspect: %s\n", listing.error.c_str());
        return STATUS_FAILED;
    }

    uint64_t file_bytes = 0;
    size_t files = 0;
    for (const auto& entry : listing.entries)
        if (entry.type == 'f') {
            file_bytes += entry.size;
            ++files;
        }
    if (!files_only) {
        std::printf("image: %s, %s (%llu bytes)\n", image.c_str(), mib(listing.image_size).c_str(),
            static_cast<unsigned long long>(listing.image_size));
        if (auto text = initrd::read_image_file(image, "/kiln/manifest.json")) {
            auto manifest = initrd::parse_json(*text);
            if (manifest.root) {
                std::printf("manifest (/kiln/manifest.json):\n");
                std::printf("  argv: %s\n", strings(manifest.root->find("argv")).c_str());
                std::printf("  env:  %s\n", strings(manifest.root->find("env")).c_str());
                if (const auto* cwd = manifest.root->find("cwd"))
                    std::printf("  cwd:  %s\n", cwd->text.c_str());
            }
        } else {
            std::printf("manifest: none (/kiln/manifest.json is missing; the kernel cannot start this image)\n");
        }
        if (!artifact_manifest.empty()) {
            std::ifstream in(artifact_manifest, std::ios::binary);
            auto parsed = initrd::parse_json(std::string(std::istreambuf_iterator<char>(in), {}));
            const initrd::JsonNode* vm = parsed.root ? parsed.root->find("vm") : nullptr;
            if (vm) {
                const auto* memory = vm->find("memory");
                const auto* append = vm->find("append");
                std::printf("vm (%s): memory %s, ports [%s], disks [%s], append \"%s\"\n", artifact_manifest.c_str(),
                    memory && !memory->text.empty() ? memory->text.c_str() : "default",
                    strings(vm->find("ports")).c_str(), strings(vm->find("disks")).c_str(),
                    append ? append->text.c_str() : "");
            }
        }
        auto info_text = initrd::read_image_file(image, "/kiln/build-info.json");
        auto info = info_text ? initrd::parse_json(*info_text) : initrd::JsonParse {};
        if (info.root) {
            if (const auto* app = info.root->find("app"))
                std::printf("app: %s %s, entry %s\n", app->find("name") ? app->find("name")->text.c_str() : "",
                    app->find("version") ? app->find("version")->text.c_str() : "",
                    app->find("main") ? app->find("main")->text.c_str() : "");
            if (const auto* packages = info.root->find("packages")) {
                std::printf("packages from node_modules (%zu):\n", packages->items.size());
                for (const auto& p : packages->items) {
                    const auto* linked = p.find("linked");
                    std::printf("  %-32s %-10s %s%s\n", p.find("name")->text.c_str(), p.find("version")->text.c_str(),
                        p.find("path")->text.c_str(), linked && linked->boolean ? " (linked)" : "");
                }
            }
        }
        std::printf("files (%zu, %llu bytes):\n", files, static_cast<unsigned long long>(file_bytes));
    }
    for (const auto& entry : listing.entries) {
        if (entry.type == 'd')
            continue;
        std::printf("  %04o %10llu  %s%s%s\n", entry.mode, static_cast<unsigned long long>(entry.size),
            entry.path.c_str(), entry.type == 'l' ? " -> " : "", entry.link_target.c_str());
    }
    if (files_only)
        return 0;
    auto info_text = initrd::read_image_file(image, "/kiln/build-info.json");
    auto info = info_text ? initrd::parse_json(*info_text) : initrd::JsonParse {};
    const initrd::JsonNode* left = info.root ? info.root->find("left_out") : nullptr;
    if (!left) {
        std::printf("left out: unknown (the image has no /kiln/build-info.json; it was not made by kiln build)\n");
        return 0;
    }
    std::printf("left out of the app (%zu):\n", left->items.size());
    for (const auto& item : left->items)
        std::printf("  %-40s %s\n", item.find("path")->text.c_str(), item.find("reason")->text.c_str());
    return 0;
}

} // namespace kiln::cli
