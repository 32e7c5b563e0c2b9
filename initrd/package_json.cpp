#include "package_json.h"

#include <fstream>
#include <iterator>

#include "json_tree.h"

namespace kiln::initrd {

namespace fs = std::filesystem;

namespace {

class Reader {
public:
    explicit Reader(const fs::path& file)
        : m_file(file.string())
    {
    }

    bool failed() const { return !m_error.empty(); }
    const std::string& error() const { return m_error; }

    void fail(const std::string& field, const std::string& expected) { fail_with(field, "must be " + expected); }

    void fail_with(const std::string& field, const std::string& problem)
    {
        if (m_error.empty())
            m_error = m_file + ": \"" + field + "\" " + problem;
    }

    std::optional<std::string> string(const JsonNode& object, const char* key, const std::string& field)
    {
        const JsonNode* value = object.find(key);
        if (!value || value->kind == JsonNode::Kind::Null)
            return std::nullopt;
        if (!value->is_string()) {
            fail(field, "a string");
            return std::nullopt;
        }
        return value->text;
    }

    // An object whose keys are package names ("dependencies" and friends).
    std::vector<std::string> names(const JsonNode& object, const char* key)
    {
        std::vector<std::string> out;
        const JsonNode* value = object.find(key);
        if (!value || value->kind == JsonNode::Kind::Null)
            return out;
        if (!value->is_object()) {
            fail(key, "an object of package names");
            return out;
        }
        for (const auto& [name, spec] : value->members)
            out.push_back(name);
        return out;
    }

    std::vector<std::string> strings(const JsonNode& array, const std::string& field)
    {
        std::vector<std::string> out;
        if (!array.is_array()) {
            fail(field, "an array of strings");
            return out;
        }
        for (const JsonNode& item : array.items) {
            if (!item.is_string()) {
                fail(field, "an array of strings");
                return {};
            }
            out.push_back(item.text);
        }
        return out;
    }

    // Numbers are accepted where a port or memory size is meant ("ports": [8080]).
    std::vector<std::string> strings_or_numbers(const JsonNode& array, const std::string& field)
    {
        std::vector<std::string> out;
        if (!array.is_array()) {
            fail(field, "an array");
            return out;
        }
        for (const JsonNode& item : array.items) {
            if (!item.is_string() && item.kind != JsonNode::Kind::Number) {
                fail(field, "an array of strings or numbers");
                return {};
            }
            out.push_back(item.text);
        }
        return out;
    }

private:
    std::string m_file;
    std::string m_error;
};

void read_kiln_section(Reader& reader, const JsonNode& kiln, KilnSettings& out)
{
    if (!kiln.is_object()) {
        reader.fail("kiln", "an object (see the README: \"kiln\" in package.json)");
        return;
    }
    for (const auto& [key, value] : kiln.members) {
        std::string field = "kiln." + key;
        if (key == "memory") {
            if (value.is_string() || value.kind == JsonNode::Kind::Number)
                out.memory = value.text;
            else
                reader.fail(field, "a size like \"512M\"");
        } else if (key == "env") {
            if (!value.is_object()) {
                reader.fail(field, "an object of strings, like {\"PORT\": \"8080\"}");
                continue;
            }
            for (const auto& [name, setting] : value.members) {
                if (name.empty() || name.find('=') != std::string::npos)
                    reader.fail(field, "an object whose keys are variable names (no '=')");
                else if (!setting.is_string() && setting.kind != JsonNode::Kind::Number)
                    reader.fail(field + "." + name, "a string");
                else
                    out.env.emplace_back(name, setting.text);
            }
        } else if (key == "args") {
            out.args = reader.strings(value, field);
        } else if (key == "ports") {
            out.ports = reader.strings_or_numbers(value, field);
        } else if (key == "disks") {
            out.disks = reader.strings(value, field);
        } else if (key == "append") {
            if (value.is_string())
                out.append = value.text;
            else
                reader.fail(field, "a string of kernel command-line words");
        } else {
            reader.fail_with(field, "is not a setting Kiln knows (known: memory, env, args, ports, disks, append)");
        }
    }
}

} // namespace

PackageRead read_package_json(const fs::path& dir)
{
    fs::path file = dir / "package.json";
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return { std::nullopt, file.string() + " not found" };
    std::string text(std::istreambuf_iterator<char>(in), {});
    JsonParse parsed = parse_json(text);
    if (!parsed.root)
        return { std::nullopt, file.string() + ": " + parsed.error + " (not valid JSON)" };
    const JsonNode& root = *parsed.root;
    if (!root.is_object())
        return { std::nullopt, file.string() + ": expected a JSON object" };

    Reader reader(file);
    PackageJson package;
    package.path = file;
    package.name = reader.string(root, "name", "name").value_or("");
    package.version = reader.string(root, "version", "version").value_or("");
    package.main = reader.string(root, "main", "main");
    package.type = reader.string(root, "type", "type").value_or("");
    if (!package.type.empty() && package.type != "module" && package.type != "commonjs")
        reader.fail("type", "\"module\" or \"commonjs\"");
    package.has_exports = root.find("exports") != nullptr;
    if (const JsonNode* browser = root.find("browser"); browser && browser->is_string())
        package.browser = browser->text;

    if (const JsonNode* bin = root.find("bin")) {
        if (bin->is_string()) {
            package.bin.push_back(bin->text);
        } else if (bin->is_object()) {
            for (const auto& [command, target] : bin->members) {
                if (!target.is_string())
                    reader.fail("bin." + command, "a string");
                else
                    package.bin.push_back(target.text);
            }
        } else if (bin->kind != JsonNode::Kind::Null) {
            reader.fail("bin", "a string or an object of strings");
        }
    }

    package.dependencies = reader.names(root, "dependencies");
    package.optional_dependencies = reader.names(root, "optionalDependencies");
    package.peer_dependencies = reader.names(root, "peerDependencies");
    package.dev_dependencies = reader.names(root, "devDependencies");
    if (const JsonNode* meta = root.find("peerDependenciesMeta"); meta && meta->is_object()) {
        for (const auto& [name, settings] : meta->members) {
            const JsonNode* optional = settings.find("optional");
            if (optional && optional->kind == JsonNode::Kind::Bool && optional->boolean)
                package.optional_peers.push_back(name);
        }
    }
    // npm accepts both spellings.
    for (const char* key : { "bundleDependencies", "bundledDependencies" }) {
        const JsonNode* bundle = root.find(key);
        if (!bundle || bundle->kind == JsonNode::Kind::Null)
            continue;
        if (bundle->kind == JsonNode::Kind::Bool)
            package.bundle_all = package.bundle_all || bundle->boolean;
        else
            for (std::string& name : reader.strings(*bundle, key))
                package.bundle_dependencies.push_back(std::move(name));
    }
    if (const JsonNode* files = root.find("files"); files && files->kind != JsonNode::Kind::Null)
        package.files = reader.strings(*files, "files");
    if (const JsonNode* kiln = root.find("kiln"))
        read_kiln_section(reader, *kiln, package.kiln);

    if (reader.failed())
        return { std::nullopt, reader.error() };
    return { std::move(package), {} };
}

std::string file_safe_name(const std::string& package_name)
{
    std::string name = package_name;
    if (!name.empty() && name[0] == '@')
        name.erase(0, 1);
    for (char& c : name) {
        bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
            || c == '-';
        if (!safe)
            c = '-';
    }
    while (!name.empty() && name[0] == '.')
        name.erase(0, 1);
    return name;
}

} // namespace kiln::initrd
