// libFuzzer target for the JSON reader: any byte string is a document; validating it and
// walking every value it accepts (strings unescaped, integers read, members looked up)
// must never crash or read out of bounds.
//   ./json_fuzz -max_len=4096 -dict=... corpus/

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "lib/json.h"

namespace {

using namespace kiln::json;

size_t walk(const Value& value, size_t depth)
{
    if (depth > MAX_DEPTH)
        __builtin_trap(); // try_parse promised a depth limit
    size_t work = 1;
    char buffer[64];
    switch (value.type()) {
    case Type::String:
        work += value.string(buffer).is_error() + value.string_size().value() + value.string_equals("argv");
        break;
    case Type::Number:
        work += value.integer().is_error();
        break;
    case Type::Bool:
        work += value.boolean().value();
        break;
    case Type::Array:
        for (Value element : value.elements())
            work += walk(element, depth + 1);
        break;
    case Type::Object:
        for (Member member : value.members()) {
            work += walk(member.key(), depth + 1) + walk(member.value(), depth + 1);
            work += value.member(member.key().raw()).is_error();
        }
        break;
    case Type::Null:
        break;
    }
    return work;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto document = Document::try_parse(text);
    if (document)
        walk(document->root(), 0);
    return 0;
}
