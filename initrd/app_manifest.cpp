#include "app_manifest.h"

#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>

#include "json_tree.h"
#include "lib/json.h"

namespace kiln::initrd {

namespace fs = std::filesystem;

namespace {

MainResult fail(std::string message) { return { std::nullopt, std::move(message) }; }

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
        << "  \"argv\": " << json_quote_all(manifest.argv) << ",\n"
        << "  \"env\": " << json_quote_all(manifest.env) << ",\n"
        << "  \"cwd\": " << json_quote(manifest.cwd) << "\n"
        << "}\n";
    return out.str();
}

} // namespace kiln::initrd
