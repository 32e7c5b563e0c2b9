#include "json_tree.h"

#include <cstdio>
#include <set>

#include "lib/json.h"

namespace kiln::initrd {

namespace {

std::optional<std::string> owned_string(json::Value value)
{
    auto size = value.string_size();
    if (!size)
        return std::nullopt;
    std::string out(*size + 1, '\0');
    auto text = value.string(std::span<char>(out.data(), out.size()));
    if (!text)
        return std::nullopt;
    out.resize(text->size());
    return out;
}

bool convert(json::Value value, JsonNode& out, std::string& error)
{
    switch (value.type()) {
    case json::Type::Null:
        out.kind = JsonNode::Kind::Null;
        return true;
    case json::Type::Bool:
        out.kind = JsonNode::Kind::Bool;
        out.boolean = value.boolean().value();
        return true;
    case json::Type::Number:
        out.kind = JsonNode::Kind::Number;
        out.text = std::string(value.raw());
        return true;
    case json::Type::String: {
        out.kind = JsonNode::Kind::String;
        auto text = owned_string(value);
        if (!text) {
            error = "unreadable string";
            return false;
        }
        out.text = std::move(*text);
        return true;
    }
    case json::Type::Array:
        out.kind = JsonNode::Kind::Array;
        for (json::Value item : value.elements()) {
            out.items.emplace_back();
            if (!convert(item, out.items.back(), error))
                return false;
        }
        return true;
    case json::Type::Object: {
        out.kind = JsonNode::Kind::Object;
        std::set<std::string> seen;
        for (json::Member member : value.members()) {
            auto key = owned_string(member.key());
            if (!key) {
                error = "unreadable key";
                return false;
            }
            // RFC 8259 §4 leaves duplicate keys undefined; refuse rather than guess.
            if (!seen.insert(*key).second) {
                error = "duplicate key " + json_quote(*key);
                return false;
            }
            out.members.emplace_back(*key, JsonNode {});
            if (!convert(member.value(), out.members.back().second, error))
                return false;
        }
        return true;
    }
    }
    return false;
}

} // namespace

const JsonNode* JsonNode::find(const std::string& key) const
{
    for (const auto& [name, value] : members)
        if (name == key)
            return &value;
    return nullptr;
}

JsonParse parse_json(const std::string& text)
{
    json::ParseError where;
    auto document = json::Document::try_parse(text, &where);
    if (!document)
        return { std::nullopt, "byte " + std::to_string(where.offset) + ": " + where.reason };
    JsonNode root;
    std::string error;
    if (!convert(document->root(), root, error))
        return { std::nullopt, error };
    return { std::move(root), {} };
}

std::string json_quote(const std::string& s)
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

std::string json_quote_all(const std::vector<std::string>& items)
{
    std::string out = "[";
    for (size_t i = 0; i < items.size(); ++i)
        out += (i ? ", " : "") + json_quote(items[i]);
    return out + "]";
}

} // namespace kiln::initrd
