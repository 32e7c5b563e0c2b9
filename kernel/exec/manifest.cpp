#include "exec/manifest.h"

#include "lib/json.h"

namespace kiln::exec {
namespace {

Result<std::string_view> store_string(Manifest& m, const json::Value& value)
{
    if (value.type() != json::Type::String)
        return Errno::INVAL;
    std::span<char> room(m.storage + m.used, Manifest::STORAGE - m.used);
    if (room.size() < 2)
        return Errno::TOOBIG;
    TRY(std::string_view text, value.string(room.first(room.size() - 1)));
    // Programs get C strings: an embedded NUL would silently cut an argument short.
    for (char c : text) {
        if (c == '\0')
            return Errno::INVAL;
    }
    m.storage[m.used + text.size()] = '\0';
    m.used += text.size() + 1;
    return text;
}

Result<void> fail(ManifestError* error, const char* what)
{
    if (error)
        error->what = what;
    return Errno::INVAL;
}

}  // namespace

Result<void> parse_manifest(std::string_view text, Manifest& out, ManifestError* error)
{
    out.argc = out.envc = out.used = 0;
    out.cwd = "/";
    auto document = json::Document::try_parse(text);
    if (document.is_error())
        return fail(error, "not valid JSON");
    json::Value root = document->root();
    if (root.type() != json::Type::Object)
        return fail(error, "the manifest must be a JSON object");

    auto argv = root.member("argv");
    if (argv.is_error() || argv->type() != json::Type::Array)
        return fail(error, "argv must be a non-empty array of strings");
    for (json::Value item : argv->elements()) {
        if (out.argc == Manifest::MAX_ARGS)
            return fail(error, "argv has too many entries");
        auto s = store_string(out, item);
        if (s.is_error())
            return fail(error, "argv must be a non-empty array of strings");
        out.argv[out.argc++] = s.value();
    }
    if (out.argc == 0 || out.argv[0].empty() || out.argv[0][0] != '/')
        return fail(error, "argv[0] must be the absolute path of the program");

    if (auto env = root.member("env"); !env.is_error()) {
        if (env->type() != json::Type::Array)
            return fail(error, "env must be an array of \"KEY=value\" strings");
        for (json::Value item : env->elements()) {
            if (out.envc == Manifest::MAX_ENV)
                return fail(error, "env has too many entries");
            auto s = store_string(out, item);
            bool has_equals = false;
            if (!s.is_error()) {
                for (char c : s.value())
                    has_equals |= c == '=';
            }
            if (s.is_error() || !has_equals || s.value()[0] == '=')
                return fail(error, "env must be an array of \"KEY=value\" strings");
            out.envp[out.envc++] = s.value();
        }
    }

    if (auto cwd = root.member("cwd"); !cwd.is_error()) {
        auto s = store_string(out, cwd.value());
        if (s.is_error() || s.value().empty() || s.value()[0] != '/')
            return fail(error, "cwd must be an absolute path");
        out.cwd = s.value();
    }
    return {};
}

}  // namespace kiln::exec
