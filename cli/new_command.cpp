// kiln new <dir>: a starter app that works today with kiln dev, kiln build and kiln run.

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "arguments.h"
#include "commands.h"
#include "package_json.h"

namespace kiln::cli {

namespace fs = std::filesystem;

namespace {

void print_new_help(FILE* out)
{
    std::fprintf(out,
        "usage: kiln new <dir> [--name NAME] [--http]\n"
        "\n"
        "Creates a starter app in dir (which must not exist or be empty):\n"
        "  package.json   name, \"main\": \"index.js\", scripts, and a \"kiln\" section\n"
        "  index.js       the app: prints a greeting and exits (with --http: an HTTP server\n"
        "                 on port 8080 that answers with the greeting, published by kiln run)\n"
        "  greet.js       a module the app and the test share\n"
        "  test.js        a test: kiln dev test.js (exit status 0 when it passes)\n"
        "  .gitignore     node_modules/ and dist/\n"
        "Then: cd dir && kiln dev && kiln run\n"
        "\n"
        "options:\n"
        "  --name NAME     the package name (default: the folder's name)\n"
        "  --http          start from an HTTP server instead of a script\n"
        "  -h, --help      this help\n");
}

// npm's rules for a new package name: lower case, URL-safe, no leading dot or underscore.
std::string npm_name(const std::string& folder)
{
    std::string name;
    for (char c : folder) {
        char low = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        bool ok = (low >= 'a' && low <= 'z') || (low >= '0' && low <= '9') || low == '-' || low == '.' || low == '_';
        name += ok ? low : '-';
    }
    while (!name.empty() && (name[0] == '.' || name[0] == '_' || name[0] == '-'))
        name.erase(0, 1);
    return name.empty() ? "app" : name.substr(0, 214);
}

const char* INDEX_JS = R"(// The app's entry point ("main" in package.json).
//   kiln dev          runs it on this machine (no VM)
//   kiln run          builds the image and boots it in a VM
// `kiln new --http` starts from an HTTP server instead.
'use strict';

const { greet } = require('./greet');

console.log(greet(process.env.GREETING, 'Kiln'));
console.log(`running with NODE_ENV=${process.env.NODE_ENV}`);
)";

const char* GREET_JS = R"('use strict';

// Shared by index.js and test.js.
function greet(greeting, name) {
  return `${greeting || 'Hello'} from ${name}!`;
}

module.exports = { greet };
)";

const char* TEST_JS = R"(// Run with `kiln dev test.js`: exits 0 when every check passes, 1 otherwise.
'use strict';

const { greet } = require('./greet');

let failures = 0;
function check(name, actual, expected) {
  const ok = actual === expected;
  if (!ok) failures++;
  console.log(`${ok ? 'ok' : 'FAIL'} - ${name}${ok ? '' : `: got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`}`);
}

check('default greeting', greet(undefined, 'Kiln'), 'Hello from Kiln!');
check('custom greeting', greet('Hi', 'you'), 'Hi from you!');

process.exitCode = failures ? 1 : 0;
)";

const char* HTTP_INDEX_JS = R"(// The app's entry point ("main" in package.json): an HTTP server.
//   kiln dev          serves on this machine (no VM): curl http://127.0.0.1:8080/
//   kiln run          boots it in a VM; package.json's "kiln".ports publishes the port
//                     on 127.0.0.1 (Ctrl-C stops the VM)
'use strict';

const http = require('node:http');
const { greet } = require('./greet');

const port = Number(process.env.PORT) || 8080;
const server = http.createServer((request, response) => {
  response.setHeader('Content-Type', 'text/plain; charset=utf-8');
  response.end(greet(process.env.GREETING, 'Kiln') + '\n');
});
server.listen(port, () => console.log(`listening on http://0.0.0.0:${port}`));
)";

std::string package_json(const std::string& name, bool http)
{
    return "{\n"
           "  \"name\": \""
        + name
        + "\",\n"
          "  \"version\": \"0.1.0\",\n"
          "  \"private\": true,\n"
          "  \"description\": \"A Kiln app\",\n"
          "  \"main\": \"index.js\",\n"
          "  \"type\": \"commonjs\",\n"
          "  \"scripts\": {\n"
          "    \"start\": \"kiln run .\",\n"
          "    \"dev\": \"kiln dev .\",\n"
          "    \"test\": \"kiln dev test.js\"\n"
          "  },\n"
          "  \"dependencies\": {},\n"
          "  \"kiln\": {\n"
          "    \"memory\": \"512M\",\n"
        + (http ? "    \"ports\": [\"8080:8080\"],\n" : "")
        + "    \"env\": { \"GREETING\": \"Hello\" }\n"
          "  }\n"
          "}\n";
}

} // namespace

int new_command(const std::vector<std::string>& raw)
{
    std::string dir;
    std::string name;
    bool http = false;
    Arguments a("new", raw);
    while (a.next()) {
        if (a.is("-h", "--help")) {
            print_new_help(stdout);
            return 0;
        } else if (a.is("--name")) {
            auto v = a.value();
            if (!v)
                return STATUS_USAGE;
            name = *v;
        } else if (a.is("--http")) {
            http = true;
        } else if (a.is_flag()) {
            return a.unknown();
        } else if (dir.empty()) {
            dir = a.current();
        } else {
            std::fprintf(stderr, "kiln new: one folder at a time (got %s and %s)\n", dir.c_str(), a.current().c_str());
            return STATUS_USAGE;
        }
    }
    if (dir.empty()) {
        std::fprintf(stderr, "kiln new: which folder? e.g. kiln new my-app (see kiln new --help)\n");
        return STATUS_USAGE;
    }
    std::error_code ec;
    if (fs::exists(dir, ec) && !(fs::is_directory(dir, ec) && fs::is_empty(dir, ec))) {
        std::fprintf(stderr, "kiln new: %s already exists and is not an empty folder; pick a new name\n", dir.c_str());
        return STATUS_USAGE;
    }
    if (name.empty())
        name = npm_name(fs::absolute(dir).lexically_normal().filename().string());
    if (name.find('"') != std::string::npos || name.find('\\') != std::string::npos) {
        std::fprintf(stderr, "kiln new: --name %s: not a valid package name\n", name.c_str());
        return STATUS_USAGE;
    }
    fs::create_directories(dir, ec);
    if (ec) {
        std::fprintf(stderr, "kiln new: cannot create %s: %s\n", dir.c_str(), ec.message().c_str());
        return STATUS_FAILED;
    }
    const std::pair<const char*, std::string> files[] = {
        { "package.json", package_json(name, http) },
        { "index.js", http ? HTTP_INDEX_JS : INDEX_JS },
        { "greet.js", GREET_JS },
        { "test.js", TEST_JS },
        { ".gitignore", "node_modules/\ndist/\n" },
    };
    for (const auto& [file, text] : files) {
        std::ofstream out(fs::path(dir) / file, std::ios::binary);
        out << text;
        if (!out) {
            std::fprintf(stderr, "kiln new: cannot write %s/%s\n", dir.c_str(), file);
            return STATUS_FAILED;
        }
    }
    std::printf("kiln: created %s (%s)\n\n  cd %s\n  kiln dev          # %s\n  kiln dev test.js  # run the test\n"
                "  kiln run          # boot it in a VM%s\n",
        dir.c_str(), name.c_str(), dir.c_str(), http ? "serve on http://127.0.0.1:8080/ (Ctrl-C stops)" : "run it here",
        http ? ", serving on http://127.0.0.1:8080/" : "");
    return 0;
}

} // namespace kiln::cli
