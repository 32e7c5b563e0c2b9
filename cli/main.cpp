// kiln: the command users meet. Subcommands dispatch from one table; each parses its own
// flags and says what to do when something is wrong.

#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "commands.h"

namespace {

struct Command {
    const char* name;
    const char* summary;
    int (*run)(const std::vector<std::string>& args);
};

const Command COMMANDS[] = {
    { "new", "create a starter app in a new folder", kiln::cli::new_command },
    { "dev", "run an app on this machine's runtime, without a VM", kiln::cli::dev_command },
    { "build", "pack an app into a bootable image (dist/<name>.kiln)", kiln::cli::build_command },
    { "run", "boot an app (folder or image) in a VM and exit with its status", kiln::cli::run_command },
    { "inspect", "list what an image holds and what its build left out", kiln::cli::inspect_command },
};

void print_usage(FILE* out)
{
    std::fprintf(out, "usage: kiln <command> [options]\n\ncommands:\n");
    for (const auto& c : COMMANDS)
        std::fprintf(out, "  %-8s %s\n", c.name, c.summary);
    std::fprintf(out, "\n`kiln <command> --help` describes a command. Start with: kiln new my-app\n");
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 2) {
        print_usage(stderr);
        return 2;
    }
    std::string_view name = argv[1];
    if (name == "--help" || name == "-h" || name == "help") {
        print_usage(stdout);
        return 0;
    }
    for (const auto& c : COMMANDS) {
        if (name == c.name)
            return c.run(std::vector<std::string>(argv + 2, argv + argc));
    }
    std::fprintf(stderr, "kiln: unknown command '%s'\n\n", argv[1]);
    print_usage(stderr);
    return 2;
}
