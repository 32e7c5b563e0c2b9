#pragma once

// An owned JSON tree for host tools, built with the kernel's validating parser
// (kernel/lib/json.h) so the builder and the kernel accept exactly the same JSON.
// package.json files are small; copying them into a tree keeps the readers simple.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kiln::initrd {

struct JsonNode {
    enum class Kind { Null, Bool, Number, String, Array, Object };
    Kind kind = Kind::Null;
    bool boolean = false;
    std::string text; // String: the unescaped value; Number: the literal as written
    std::vector<JsonNode> items; // Array
    std::vector<std::pair<std::string, JsonNode>> members; // Object, in document order

    bool is_string() const { return kind == Kind::String; }
    bool is_object() const { return kind == Kind::Object; }
    bool is_array() const { return kind == Kind::Array; }
    // The member with this key, or nullptr (objects only).
    const JsonNode* find(const std::string& key) const;
};

struct JsonParse {
    std::optional<JsonNode> root;
    std::string error; // "byte N: reason" or "duplicate key "x"", when !root
};

JsonParse parse_json(const std::string& text);

// RFC 8259 §7 string literal, quotes included.
std::string json_quote(const std::string& text);
// A JSON array of string literals: ["a", "b"].
std::string json_quote_all(const std::vector<std::string>& items);

} // namespace kiln::initrd
