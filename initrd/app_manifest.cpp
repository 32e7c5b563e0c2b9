#include "app_manifest.h"

#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>

#include "lib/json.h"

namespace kiln::initrd {

namespace fs = std::filesystem;

namespace {

MainResult fail(std::string message) { return { std::nullopt, std::move(message) }; }

// RFC 8259 §7: quote, backslash and control characters must be escaped.
std::string json_string(const std::string& s)
{
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char escape[8];
            std::snprintf(escape, sizeof(escape), "\\u%04x", c);
            out += escape;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

std::string json_array(const std::vector<std::string>& items)
{
    std::string out = "[";
    for (size_t i = 0; i < items.size(); ++i)
        out += (i ? ", " : "") + json_string(items[i]);
    return out + "]";
}

} // namespace

MainResult find_app_main(const fs::path& app_dir)
{
    fs::path package = app_dir / "package.json";
    std::ifstream in(package, std::ios::binary);
    if (!in)
        return fail(package.string() + " not found: an app folder needs a package.json (see examples/hello)");
    std::string text(std::istreambuf_iterator<char>(in), {});
    json::ParseError where;
    auto document = json::Document::try_parse(text, &where);
    if (!document)
        return fail(package.string() + ": byte " + std::to_string(where.offset) + ": " + where.reason);
    if (document->root().type() != json::Type::Object)
        return fail(package.string() + ": expected a JSON object");

    std::string main = "index.js";
    auto member = document->root().member("main");
    if (member) {
        std::vector<char> buffer(text.size());
        auto value = member->string(buffer);
        if (!value)
            return fail(package.string() + ": \"main\" must be a string");
        main = std::string(*value);
    } else if (member.error() != Errno::NOENT) {
        return fail(package.string() + ": \"main\" appears more than once");
    }

    fs::path relative = fs::path(main).lexically_normal();
    if (main.empty() || relative.is_absolute() || *relative.begin() == "..")
        return fail(package.string() + ": \"main\" (" + main + ") must be a path inside the app folder");
    std::error_code ec;
    for (const fs::path& candidate : { relative, fs::path(relative.string() + ".js"), relative / "index.js" }) {
        if (fs::is_regular_file(app_dir / candidate, ec))
            return { candidate.lexically_normal().generic_string(), {} };
    }
    return fail(package.string() + ": \"main\" is " + main + ", but " + (app_dir / relative).string()
        + " does not exist (also tried .js and /index.js)");
}

std::string manifest_json(const Manifest& manifest)
{
    std::ostringstream out;
    out << "{\n"
        << "  \"version\": 1,\n"
        << "  \"argv\": " << json_array(manifest.argv) << ",\n"
        << "  \"env\": " << json_array(manifest.env) << ",\n"
        << "  \"cwd\": " << json_string(manifest.cwd) << "\n"
        << "}\n";
    return out.str();
}

} // namespace kiln::initrd
