#include "app_contents.h"

#include <algorithm>
#include <deque>
#include <map>
#include <set>

#include "app_manifest.h"

namespace kiln::initrd {

namespace fs = std::filesystem;

namespace {

enum class Need { Required, Optional, Peer, OptionalPeer };

struct Edge {
    std::string from_image_dir;
    std::string from_display; // "the app" or "node_modules/x"
    std::string name;
    std::string to_image_dir;
};

struct Placed {
    fs::path real; // the package folder on the host, symlinks resolved
    PackageJson package;
    bool linked = false;
};

std::string parent_of(const std::string& image_dir)
{
    size_t slash = image_dir.rfind('/');
    return slash == std::string::npos ? "" : image_dir.substr(0, slash);
}

bool ends_with(const std::string& s, const std::string& suffix)
{
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// "app/node_modules/x" → "node_modules/x": how messages and /kiln/build-info.json
// name a place relative to the app.
std::string app_relative(const std::string& image_dir) { return image_dir == "app" ? "." : image_dir.substr(4); }

class Closure {
public:
    explicit Closure(const fs::path& app_real)
        : m_app_real(app_real)
    {
    }

    std::vector<std::string> errors;
    std::vector<LeftOut> left_out;
    std::map<std::string, Placed> placed; // by image dir
    std::vector<Edge> edges;

    void walk(const PackageJson& app)
    {
        struct Pending {
            std::string image_dir;
            fs::path real;
            const PackageJson* package;
            bool is_app;
        };
        std::deque<Pending> queue { { "app", m_app_real, &app, true } };
        while (!queue.empty()) {
            Pending current = queue.front();
            queue.pop_front();
            std::vector<std::pair<std::string, Need>> needs;
            const PackageJson& p = *current.package;
            for (const std::string& name : p.dependencies)
                needs.emplace_back(name, Need::Required);
            if (current.is_app)
                for (const std::string& name : p.bundle_dependencies)
                    needs.emplace_back(name, Need::Required);
            for (const std::string& name : p.optional_dependencies)
                needs.emplace_back(name, Need::Optional);
            for (const std::string& name : p.peer_dependencies) {
                bool optional
                    = std::find(p.optional_peers.begin(), p.optional_peers.end(), name) != p.optional_peers.end();
                needs.emplace_back(name, optional ? Need::OptionalPeer : Need::Peer);
            }
            std::set<std::string> seen;
            for (const auto& [name, need] : needs) {
                if (!seen.insert(name).second)
                    continue;
                std::string display = current.is_app ? "the app" : app_relative(current.image_dir);
                auto added = add_edge(current.image_dir, current.real, display, name, need);
                if (added)
                    queue.push_back({ added->first, added->second->real, &added->second->package, false });
            }
        }
    }

    // Node's module resolution inside the image (no symlinks there): the nearest
    // node_modules/<name> among the folders from `from` up to the root.
    std::optional<std::string> resolve_in_image(
        const std::string& from, const std::string& name, const std::string& extra = {}) const
    {
        for (std::string dir = from; !dir.empty(); dir = parent_of(dir)) {
            if (ends_with(dir, "/node_modules") || dir == "node_modules")
                continue;
            std::string candidate = dir + "/node_modules/" + name;
            if (placed.count(candidate) || candidate == extra)
                return candidate;
        }
        return std::nullopt;
    }

private:
    // Node's lookup on the host from the dependent's real folder (node_modules
    // folders themselves are skipped, as Node's _nodeModulePaths does).
    std::optional<fs::path> resolve_on_host(const fs::path& from, const std::string& name) const
    {
        std::error_code ec;
        for (fs::path dir = from;; dir = dir.parent_path()) {
            if (dir.filename() != "node_modules") {
                fs::path candidate = dir / "node_modules" / name;
                if (fs::is_directory(candidate, ec))
                    return candidate;
            }
            if (dir == dir.parent_path())
                break;
        }
        return std::nullopt;
    }

    std::optional<std::pair<std::string, Placed*>> add_edge(const std::string& from, const fs::path& from_real,
        const std::string& display, const std::string& name, Need need)
    {
        auto found = resolve_on_host(from_real, name);
        if (!found) {
            if (need == Need::Required)
                errors.push_back("dependency \"" + name + "\" of " + display + " is not installed (no node_modules/"
                    + name + " in or above " + from_real.string() + "): run npm install in the app folder");
            else if (need == Need::Optional)
                left_out.push_back(
                    { "node_modules/" + name + "/", "optional dependency of " + display + ", not installed" });
            else if (need == Need::Peer)
                left_out.push_back(
                    { "node_modules/" + name + "/", "peer dependency of " + display + ", not installed" });
            return std::nullopt;
        }
        std::error_code ec;
        fs::path real = fs::canonical(*found, ec);
        if (ec) {
            errors.push_back("cannot resolve " + found->string() + ": " + ec.message());
            return std::nullopt;
        }
        bool linked = real != found->lexically_normal();

        // Where it goes: the same place relative to the app when Node found it inside
        // the app folder, else hoisted to /app/node_modules; if Node in the image would
        // then find something else from the dependent, nested under the dependent.
        std::string candidate;
        fs::path inside = found->lexically_relative(m_app_real);
        if (!inside.empty() && *inside.begin() != "..")
            candidate = "app/" + inside.generic_string();
        else
            candidate = "app/node_modules/" + name;
        auto fits = [&](const std::string& where) {
            auto it = placed.find(where);
            if (it != placed.end() && it->second.real != real)
                return false;
            return resolve_in_image(from, name, where) == where;
        };
        if (!fits(candidate)) {
            candidate = from + "/node_modules/" + name;
            if (!fits(candidate)) {
                errors.push_back("cannot place " + name + " (" + real.string() + ", needed by " + display
                    + "): " + app_relative(candidate) + " already holds another copy");
                return std::nullopt;
            }
        }
        edges.push_back({ from, display, name, candidate });
        if (placed.count(candidate))
            return std::nullopt;

        PackRead read = read_package(real);
        if (!read.ok) {
            errors.push_back(read.error);
            return std::nullopt;
        }
        auto& slot = placed[candidate];
        slot.real = real;
        slot.package = std::move(read.package);
        slot.linked = linked;
        return std::make_pair(candidate, &slot);
    }

    struct PackRead {
        bool ok;
        PackageJson package;
        std::string error;
    };

    // A package folder without package.json is still loadable (index.js); it then has
    // no dependencies of its own.
    static PackRead read_package(const fs::path& dir)
    {
        std::error_code ec;
        if (!fs::exists(dir / "package.json", ec))
            return { true, PackageJson {}, {} };
        PackageRead read = read_package_json(dir);
        if (!read.package)
            return { false, {}, read.error };
        return { true, std::move(*read.package), {} };
    }

    fs::path m_app_real;
};

bool is_native_addon_file(const std::string& path)
{
    std::string name = fs::path(path).filename().string();
    return ends_with(name, ".node") || name == "binding.gyp";
}

} // namespace

AppScan scan_app(const fs::path& app_dir)
{
    std::error_code ec;
    if (!fs::is_directory(app_dir, ec))
        return { std::nullopt, "app folder " + app_dir.string() + " does not exist or is not a folder" };
    PackageRead read = read_package_json(app_dir);
    if (!read.package) {
        if (!fs::exists(app_dir / "package.json", ec))
            return { std::nullopt,
                (app_dir / "package.json").string()
                    + " not found: an app folder needs a package.json (kiln new makes one; see examples/hello)" };
        return { std::nullopt, read.error };
    }
    MainResult main = find_app_main(app_dir);
    if (!main.main)
        return { std::nullopt, main.error };

    AppContents contents;
    contents.package = std::move(*read.package);
    contents.main = *main.main;
    std::vector<std::string> errors;

    // The entry must be in the image whatever the ignore files say.
    PackageJson app_rules = contents.package;
    app_rules.main = contents.main;
    PackList own = pack_package(app_dir, app_rules, PackRules::App);
    if (!own.error.empty())
        return { std::nullopt, own.error };
    for (const PackedEntry& entry : own.entries) {
        contents.files.push_back({ app_dir / entry.path, "app/" + entry.path, entry.symlink, entry.link_target });
        if (!entry.symlink && is_native_addon_file(entry.path))
            errors.push_back("the app contains a native addon (" + entry.path
                + "): Kiln images run JavaScript only; remove it or add it to .kilnignore");
    }
    for (const LeftOut& left : own.left_out)
        if (left.path != "node_modules/")
            contents.left_out.push_back(left);

    fs::path app_real = fs::canonical(app_dir, ec);
    Closure closure(app_real);
    closure.walk(contents.package);
    errors.insert(errors.end(), closure.errors.begin(), closure.errors.end());

    // Edges are checked again with everything placed: a package nested later must not
    // shadow one an earlier dependent found further up.
    for (const Edge& edge : closure.edges) {
        auto resolved = closure.resolve_in_image(edge.from_image_dir, edge.name);
        if (resolved != edge.to_image_dir)
            errors.push_back("cannot lay out node_modules: in the image, " + edge.name + " needed by "
                + edge.from_display + " would resolve to " + app_relative(resolved.value_or("nothing")) + " instead of "
                + app_relative(edge.to_image_dir));
    }

    for (const auto& [image_dir, placed] : closure.placed) {
        PackList list
            = pack_package(placed.real, placed.package, placed.linked ? PackRules::Linked : PackRules::Installed);
        if (!list.error.empty())
            errors.push_back(list.error);
        std::string native;
        for (const PackedEntry& entry : list.entries) {
            contents.files.push_back(
                { placed.real / entry.path, image_dir + "/" + entry.path, entry.symlink, entry.link_target });
            if (native.empty() && !entry.symlink && is_native_addon_file(entry.path))
                native = entry.path;
        }
        std::string name = placed.package.name.empty() ? fs::path(image_dir).filename().string() : placed.package.name;
        if (!native.empty())
            errors.push_back(app_relative(image_dir) + " (" + name + ") is a native addon (" + native
                + "): Kiln images run JavaScript only; use a pure-JavaScript package instead");
        contents.packages.push_back({ name, placed.package.version, image_dir, placed.linked });
    }

    // What node_modules holds that the image does not.
    std::set<std::string> dev(contents.package.dev_dependencies.begin(), contents.package.dev_dependencies.end());
    std::vector<std::string> installed;
    fs::path modules = app_dir / "node_modules";
    for (fs::directory_iterator it(modules, ec), end; !ec && it != end; it.increment(ec)) {
        std::string name = it->path().filename().string();
        if (name[0] == '.')
            continue;
        if (name[0] == '@') {
            std::error_code inner;
            for (fs::directory_iterator scoped(it->path(), inner); !inner && scoped != end; scoped.increment(inner))
                installed.push_back(name + "/" + scoped->path().filename().string());
        } else {
            installed.push_back(name);
        }
    }
    std::sort(installed.begin(), installed.end());
    for (const std::string& name : installed) {
        if (closure.placed.count("app/node_modules/" + name))
            continue;
        contents.left_out.push_back({ "node_modules/" + name + "/",
            dev.count(name) ? "devDependency" : "not a production dependency of the app or its dependencies" });
    }
    contents.left_out.insert(contents.left_out.end(), closure.left_out.begin(), closure.left_out.end());

    if (!errors.empty()) {
        std::string message;
        for (const std::string& error : errors)
            message += (message.empty() ? "" : "\n") + error;
        return { std::nullopt, message };
    }
    std::sort(contents.files.begin(), contents.files.end(),
        [](const AppFile& a, const AppFile& b) { return a.image_path < b.image_path; });
    std::sort(contents.packages.begin(), contents.packages.end(),
        [](const AppPackage& a, const AppPackage& b) { return a.image_dir < b.image_dir; });
    return { std::move(contents), {} };
}

} // namespace kiln::initrd
