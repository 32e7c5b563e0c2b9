#include "image_variant.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>

#include "app_image.h"
#include "app_manifest.h"
#include "image_reader.h"
#include "json_tree.h"
#include "mkfs_erofs.h"
#include "staging.h"

namespace kiln::cli {

namespace fs = std::filesystem;

namespace {

std::string rewrite_manifest(
    const fs::path& file, const std::vector<std::string>& env, const std::vector<std::string>& args)
{
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return "the image has no /kiln/manifest.json";
    std::string text(std::istreambuf_iterator<char>(in), {});
    in.close();
    initrd::JsonParse parsed = initrd::parse_json(text);
    if (!parsed.root || !parsed.root->is_object())
        return "the image's /kiln/manifest.json is not valid";
    initrd::Manifest manifest;
    manifest.cwd = "/";
    if (const auto* argv = parsed.root->find("argv"))
        for (const auto& item : argv->items)
            manifest.argv.push_back(item.text);
    if (const auto* list = parsed.root->find("env"))
        for (const auto& item : list->items)
            manifest.env.push_back(item.text);
    if (const auto* cwd = parsed.root->find("cwd"); cwd && cwd->is_string())
        manifest.cwd = cwd->text;
    if (manifest.argv.empty())
        return "the image's /kiln/manifest.json has no argv";
    manifest.argv.insert(manifest.argv.end(), args.begin(), args.end());
    for (const std::string& entry : env) {
        std::string key = entry.substr(0, entry.find('=') + 1);
        bool replaced = false;
        for (std::string& existing : manifest.env) {
            if (existing.compare(0, key.size(), key) == 0) {
                existing = entry;
                replaced = true;
            }
        }
        if (!replaced)
            manifest.env.push_back(entry);
    }
    return initrd::stage_text(initrd::manifest_json(manifest), file);
}

} // namespace

fs::path variant_cache_root() { return cache_root() / "variants"; }

VariantResult image_variant(const fs::path& image, const fs::path& cache_dir, const std::vector<std::string>& env,
    const std::vector<std::string>& args)
{
    VariantResult result;
    std::error_code ec;
    struct stat st { };
    fs::path real = fs::canonical(image, ec);
    if (ec || ::stat(real.c_str(), &st) != 0) {
        result.error = image.string() + ": cannot read";
        return result;
    }
    std::string key = real.string() + "\n" + std::to_string(st.st_size) + " " + std::to_string(st.st_mtim.tv_sec) + "."
        + std::to_string(st.st_mtim.tv_nsec) + "\n";
    for (const std::string& entry : env)
        key += "env " + entry + "\n";
    for (const std::string& arg : args)
        key += "arg " + arg + "\n";
    fs::path output = cache_dir / (short_hash(key) + ".erofs");
    if (fs::is_regular_file(output, ec)) {
        result.image = output;
        result.reused = true;
        return result;
    }
    fs::create_directories(cache_dir, ec);
    if (ec) {
        result.error = "cannot create " + cache_dir.string() + ": " + ec.message();
        return result;
    }
    initrd::TempFolder scratch(output);
    if (!scratch.ok()) {
        result.error = "cannot create a staging folder in " + cache_dir.string();
        return result;
    }
    fs::path tree = scratch.path() / "root";
    fs::create_directory(tree, ec);
    if (std::string error = initrd::extract_image(image, tree); !error.empty()) {
        result.error = error;
        return result;
    }
    if (std::string error = rewrite_manifest(tree / "kiln/manifest.json", env, args); !error.empty()) {
        result.error = error;
        return result;
    }
    fs::path temporary = scratch.path() / "image.erofs";
    if (std::string error = initrd::run_mkfs_erofs(tree, temporary, scratch.path()); !error.empty()) {
        result.error = error;
        return result;
    }
    fs::rename(temporary, output, ec);
    if (ec) {
        result.error = "cannot write " + output.string() + ": " + ec.message();
        return result;
    }
    result.image = output;
    return result;
}

} // namespace kiln::cli
