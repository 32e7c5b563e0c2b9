// The JSON reader: RFC 8259 grammar, string unescaping, UTF-8 validation, navigation,
// and robustness against truncated and nested input.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "lib/json.h"

namespace kiln::json {
namespace {

bool valid(std::string_view text) { return static_cast<bool>(Document::try_parse(text)); }

std::string unescaped(const Value& v)
{
    char buffer[256];
    auto s = v.string(buffer);
    EXPECT_TRUE(s);
    return s ? std::string(*s) : std::string();
}

constexpr std::string_view MANIFEST = R"({
  "version": 1,
  "argv": ["/kiln/bin/kiln-runtime", "/app/index.js"],
  "env": ["NODE_ENV=production", "GREETING=h\u00e9llo \ud83d\ude00"],
  "cwd": "/app",
  "memory": 536870912,
  "network": null,
  "debug": false
})";

TEST(Json, ReadsAManifest)
{
    ParseError error;
    auto doc = Document::try_parse(MANIFEST, &error);
    ASSERT_TRUE(doc) << error.reason << " at " << error.offset;
    Value root = doc->root();
    EXPECT_EQ(root.type(), Type::Object);
    EXPECT_EQ(root.member("version")->integer().value(), 1);
    EXPECT_EQ(root.member("memory")->integer().value(), 536870912);
    EXPECT_EQ(unescaped(*root.member("cwd")), "/app");
    EXPECT_TRUE(root.member("network")->is_null());
    EXPECT_EQ(root.member("debug")->boolean().value(), false);
    EXPECT_EQ(root.member("nope").error(), Errno::NOENT);

    std::vector<std::string> argv;
    for (Value v : root.member("argv")->elements())
        argv.push_back(unescaped(v));
    EXPECT_EQ(argv, (std::vector<std::string> { "/kiln/bin/kiln-runtime", "/app/index.js" }));
    std::vector<std::string> env;
    for (Value v : root.member("env")->elements())
        env.push_back(unescaped(v));
    EXPECT_EQ(env, (std::vector<std::string> { "NODE_ENV=production", "GREETING=h\xc3\xa9llo \xf0\x9f\x98\x80" }));

    std::vector<std::string> keys;
    for (Member m : root.members())
        keys.push_back(unescaped(m.key()));
    EXPECT_EQ(keys, (std::vector<std::string> { "version", "argv", "env", "cwd", "memory", "network", "debug" }));
}

TEST(Json, ScalarsAtTheTopAndWhitespace)
{
    for (auto text : { "0", "-0", "1.5e+10", "true", "false", "null", "\"\"", " \t\r\n[] ", "{}", "[[], {}]" })
        EXPECT_TRUE(valid(text)) << text;
    EXPECT_EQ(Document::try_parse(" 42 ")->root().integer().value(), 42);
}

TEST(Json, RejectsWhatRfc8259Forbids)
{
    const char* bad[] = {
        "",
        " ",
        "[",
        "]",
        "{",
        "[1,]",
        "[,1]",
        "{\"a\":1,}",
        "{\"a\"}",
        "{\"a\" 1}",
        "{a:1}",
        "{1:1}",
        "[1 2]",
        "01",
        "-",
        "+1",
        "1.",
        ".5",
        "1e",
        "1e+",
        "0x10",
        "NaN",
        "Infinity",
        "tru",
        "nulll",
        "True",
        "'a'",
        "\"abc",
        "[1] [2]",
        "1 2",
        "/* c */ 1",
        "[1] // c",
        "\xef\xbb\xbf[]",
        "{\"a\":1 \"b\":2}",
        "[\"a\" , ]",
        "\"\\x41\"",
        "\"\\u12\"",
        "\"\\u12G4\"",
        "\"\\\"",
        "\"tab\there\"",
        "\"nl\nhere\"",
        "[\"\\ud800\"]",
        "\"\\udc00\"",
        "\"\\ud800\\u0041\"",
        "\"\\ud800x\"",
    };
    for (const char* text : bad)
        EXPECT_FALSE(valid(text)) << "accepted: " << text;
    ParseError error;
    EXPECT_EQ(Document::try_parse("[1, 2,, 3]", &error).error(), Errno::INVAL);
    EXPECT_EQ(error.offset, 6u);
    EXPECT_STREQ(error.reason, "expected a value");
}

TEST(Json, Escapes)
{
    auto doc = Document::try_parse(R"(["\"\\\/\b\f\n\r\t", "\u0041\u00e9\u20ac\ud834\udd1e", "\u0000"])");
    ASSERT_TRUE(doc);
    std::vector<std::string> values;
    for (Value v : doc->root().elements())
        values.push_back(unescaped(v));
    ASSERT_EQ(values.size(), 3u);
    EXPECT_EQ(values[0], "\"\\/\b\f\n\r\t");
    EXPECT_EQ(values[1], "A\xc3\xa9\xe2\x82\xac\xf0\x9d\x84\x9e");
    EXPECT_EQ(values[2], std::string(1, '\0'));
    EXPECT_EQ(doc->root().elements().begin().operator*().string_size().value(), 8u);
}

TEST(Json, Utf8InStrings)
{
    const char* good[] = { "\"\xc3\xa9\"", "\"\xe2\x82\xac\"", "\"\xf0\x9f\x98\x80\"", "\"\xf4\x8f\xbf\xbf\"",
        "\"\xed\x9f\xbf\"", "\"\xee\x80\x80\"" };
    for (const char* text : good)
        EXPECT_TRUE(valid(text)) << text;
    const char* bad[] = {
        "\"\x80\"", // continuation byte first
        "\"\xc0\xaf\"", // overlong '/'
        "\"\xc1\xbf\"", // overlong
        "\"\xe0\x80\xaf\"", // overlong 3-byte
        "\"\xf0\x80\x80\xaf\"", // overlong 4-byte
        "\"\xed\xa0\x80\"", // UTF-8-encoded surrogate U+D800
        "\"\xf4\x90\x80\x80\"", // above U+10FFFF
        "\"\xf5\x80\x80\x80\"", // invalid lead byte
        "\"\xff\"",
        "\"\xc3\"", // truncated by the quote
        "\"\xe2\x82\"",
        "\"\xc3", // truncated by the end
        "\"\xe2\x82x\"",
    };
    for (const char* text : bad)
        EXPECT_FALSE(valid(text)) << "accepted invalid UTF-8";
}

TEST(Json, Integers)
{
    auto value = [](std::string_view text) { return Document::try_parse(text)->root().integer(); };
    EXPECT_EQ(value("9223372036854775807").value(), INT64_MAX);
    EXPECT_EQ(value("-9223372036854775808").value(), INT64_MIN);
    EXPECT_EQ(value("9223372036854775808").error(), Errno::RANGE);
    EXPECT_EQ(value("-9223372036854775809").error(), Errno::RANGE);
    EXPECT_EQ(value("1.0").error(), Errno::INVAL);
    EXPECT_EQ(value("1e3").error(), Errno::INVAL);
    EXPECT_EQ(value("\"1\"").error(), Errno::INVAL);
    EXPECT_EQ(value("-0").value(), 0);
}

TEST(Json, TypeErrorsAndSmallBuffers)
{
    auto doc = Document::try_parse(R"({"s": "hello", "n": 1, "a": [1]})");
    ASSERT_TRUE(doc);
    Value root = doc->root();
    char tiny[4];
    EXPECT_EQ(root.member("s")->string(tiny).error(), Errno::RANGE);
    char exact[5];
    EXPECT_EQ(root.member("s")->string(exact).value(), "hello");
    EXPECT_EQ(root.member("n")->string(exact).error(), Errno::INVAL);
    EXPECT_EQ(root.member("s")->boolean().error(), Errno::INVAL);
    EXPECT_EQ(root.member("a")->member("x").error(), Errno::INVAL);
    EXPECT_FALSE(root.member("n")->string_equals("1"));
    EXPECT_EQ(root.member("s")->elements().begin(), root.member("s")->elements().end());
    EXPECT_EQ(root.elements().begin(), root.elements().end());
}

TEST(Json, EscapedKeysAndDuplicates)
{
    auto doc = Document::try_parse(R"({"c\u0077d": "/app", "a": 1, "a": 2})");
    ASSERT_TRUE(doc);
    EXPECT_TRUE(doc->root().member("cwd")) << "keys compare unescaped";
    EXPECT_EQ(doc->root().member("a").error(), Errno::INVAL);
    EXPECT_EQ(doc->root().member("c").error(), Errno::NOENT);
    EXPECT_EQ(doc->root().member("cwdx").error(), Errno::NOENT);
}

TEST(Json, NestingLimit)
{
    std::string ok = std::string(MAX_DEPTH, '[') + std::string(MAX_DEPTH, ']');
    EXPECT_TRUE(valid(ok));
    std::string deep = std::string(MAX_DEPTH + 1, '[') + std::string(MAX_DEPTH + 1, ']');
    ParseError error;
    EXPECT_FALSE(Document::try_parse(deep, &error));
    EXPECT_STREQ(error.reason, "nested too deeply");
    std::string objects;
    for (size_t i = 0; i < MAX_DEPTH; ++i)
        objects += "{\"k\":";
    objects += "1" + std::string(MAX_DEPTH, '}');
    EXPECT_TRUE(valid(objects));
    EXPECT_FALSE(valid(std::string(100000, '[')));
    // Depth goes back down: many siblings at the limit are fine.
    std::string siblings = "[" + std::string(MAX_DEPTH - 1, '[') + std::string(MAX_DEPTH - 1, ']');
    for (int i = 0; i < 3; ++i)
        siblings += "," + std::string(MAX_DEPTH - 1, '[') + std::string(MAX_DEPTH - 1, ']');
    EXPECT_TRUE(valid(siblings + "]"));
}

TEST(Json, NestedNavigation)
{
    auto doc = Document::try_parse(R"( { "a" : [ { "b" : [ 1 , "x]}" , { } ] } , [ ] , -2.5e3 ] , "z" : { } } )");
    ASSERT_TRUE(doc);
    Value a = *doc->root().member("a");
    std::vector<std::string> raws;
    for (Value v : a.elements())
        raws.emplace_back(v.raw());
    EXPECT_EQ(raws, (std::vector<std::string> { R"({ "b" : [ 1 , "x]}" , { } ] })", "[ ]", "-2.5e3" }));
    Value b = *a.elements().begin().operator*().member("b");
    std::vector<std::string> inner;
    for (Value v : b.elements())
        inner.emplace_back(v.raw());
    EXPECT_EQ(inner, (std::vector<std::string> { "1", "\"x]}\"", "{ }" }));
    EXPECT_EQ(doc->root().member("z")->type(), Type::Object);
}

// Every prefix of a valid document is either rejected or (for the few prefixes that
// are complete values themselves) parses consistently; nothing reads past the end.
TEST(Json, EveryTruncationOfAManifest)
{
    size_t accepted = 0;
    for (size_t n = 0; n < MANIFEST.size(); ++n) {
        std::string prefix(MANIFEST.substr(0, n)); // its own buffer, so ASan sees over-reads
        auto doc = Document::try_parse(prefix);
        if (doc) {
            ++accepted;
            EXPECT_EQ(doc->root().raw().data() + doc->root().raw().size() <= prefix.data() + prefix.size(), true);
        }
    }
    EXPECT_EQ(accepted, 0u);
    std::string numbers = "[123.5e-7]";
    for (size_t n = 0; n <= numbers.size(); ++n)
        EXPECT_EQ(valid(numbers.substr(0, n)), n == numbers.size()) << n;
    EXPECT_TRUE(valid("123.5"));
    EXPECT_TRUE(valid("12"));
}

} // namespace
} // namespace kiln::json
