// kiln dev [dir|file] [--env K=V]... [-- args]: the app on this machine's kiln-runtime,
// no VM, for the edit-run loop (and debuggers, strace, sanitizers).

#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>

#include "app_manifest.h"
#include "arguments.h"
#include "commands.h"
#include "options.h"
#include "package_json.h"
#include "paths.h"

extern char** environ;

namespace kiln::cli {

namespace fs = std::filesystem;

namespace {

void print_dev_help(FILE* out)
{
    std::fprintf(out,
        "usage: kiln dev [dir|file] [--env KEY=VALUE]... [-- args...]\n"
        "\n"
        "Runs the app on this machine with the same kiln-runtime the image ships, without\n"
        "a VM: dir's package.json \"main\" (default: the current folder), or the given\n"
        "JavaScript file (e.g. kiln dev test.js). The working folder is the app folder\n"
        "(the nearest folder with package.json above a file), as /app is in the VM.\n"
        "\n"
        "Environment: this shell's environment, plus package.json \"kiln\".env for\n"
        "variables the shell does not set, plus NODE_ENV=development unless set either\n"
        "way (the image gets NODE_ENV=production and nothing from the shell), plus --env.\n"
        "Arguments: \"kiln\".args, then the ones after --.\n"
        "\n"
        "options:\n"
        "  --env KEY=VALUE     set a variable (wins over everything); repeatable\n"
        "  -h, --help          this help\n");
}

fs::path package_root_of(const fs::path& file)
{
    std::error_code ec;
    for (fs::path dir = fs::absolute(file).parent_path();; dir = dir.parent_path()) {
        if (fs::exists(dir / "package.json", ec))
            return dir;
        if (dir == dir.parent_path())
            return fs::absolute(file).parent_path();
    }
}

} // namespace

int dev_command(const std::vector<std::string>& raw)
{
    std::string target = ".";
    bool have_target = false;
    std::vector<std::string> env_flags;
    Arguments a("dev", raw);
    while (a.next()) {
        if (a.is("-h", "--help")) {
            print_dev_help(stdout);
            return 0;
        } else if (a.is("--env", "-e")) {
            auto v = a.value();
            if (!v)
                return STATUS_USAGE;
            if (std::string error = check_env_entry(*v); !error.empty()) {
                std::fprintf(stderr, "kiln dev: --env: %s\n", error.c_str());
                return STATUS_USAGE;
            }
            env_flags.push_back(*v);
        } else if (a.is_flag()) {
            return a.unknown();
        } else if (!have_target) {
            target = a.current();
            have_target = true;
        } else {
            std::fprintf(stderr, "kiln dev: one app at a time (got %s and %s); app arguments go after --\n",
                target.c_str(), a.current().c_str());
            return STATUS_USAGE;
        }
    }

    std::error_code ec;
    fs::path app_dir;
    fs::path entry;
    if (fs::is_directory(target, ec)) {
        app_dir = fs::absolute(target).lexically_normal();
        initrd::MainResult main = initrd::find_app_main(app_dir);
        if (!main.main) {
            std::fprintf(stderr, "kiln dev: %s\n", main.error.c_str());
            return STATUS_FAILED;
        }
        entry = app_dir / *main.main;
    } else if (fs::is_regular_file(target, ec)) {
        entry = fs::absolute(target).lexically_normal();
        app_dir = package_root_of(entry);
    } else {
        std::fprintf(stderr, "kiln dev: %s: no such app folder or file\n", target.c_str());
        return STATUS_USAGE;
    }

    initrd::KilnSettings kiln;
    if (fs::exists(app_dir / "package.json", ec)) {
        initrd::PackageRead package = initrd::read_package_json(app_dir);
        if (!package.package) {
            std::fprintf(stderr, "kiln dev: %s\n", package.error.c_str());
            return STATUS_FAILED;
        }
        kiln = package.package->kiln;
    }
    std::string runtime = find_runtime();
    if (runtime.empty()) {
        std::fprintf(stderr, "kiln dev: kiln-runtime not found; build it (scripts/build) or set KILN_RUNTIME\n");
        return STATUS_FAILED;
    }

    // Ordered so the child's environment does not depend on the shell's order.
    std::map<std::string, std::string> env;
    for (char** e = environ; *e; ++e) {
        std::string entry_text = *e;
        size_t equals = entry_text.find('=');
        if (equals != std::string::npos)
            env.emplace(entry_text.substr(0, equals), entry_text.substr(equals + 1));
    }
    for (const auto& [key, value] : kiln.env)
        env.emplace(key, value); // the shell wins
    env.emplace("NODE_ENV", "development");
    for (const std::string& flag : env_flags) {
        size_t equals = flag.find('=');
        env[flag.substr(0, equals)] = flag.substr(equals + 1);
    }

    std::vector<std::string> argv = { runtime, entry.string() };
    argv.insert(argv.end(), kiln.args.begin(), kiln.args.end());
    argv.insert(argv.end(), a.rest().begin(), a.rest().end());
    std::vector<std::string> envp_text;
    for (const auto& [key, value] : env)
        envp_text.push_back(key + "=" + value);

    std::vector<char*> argv_c, envp_c;
    for (std::string& s : argv)
        argv_c.push_back(s.data());
    argv_c.push_back(nullptr);
    for (std::string& s : envp_text)
        envp_c.push_back(s.data());
    envp_c.push_back(nullptr);

    if (::chdir(app_dir.c_str()) != 0) {
        std::fprintf(stderr, "kiln dev: cannot enter %s: %s\n", app_dir.c_str(), std::strerror(errno));
        return STATUS_FAILED;
    }
    std::fflush(stdout);
    ::execve(argv_c[0], argv_c.data(), envp_c.data());
    std::fprintf(stderr, "kiln dev: cannot run %s: %s\n", runtime.c_str(), std::strerror(errno));
    return 127;
}

} // namespace kiln::cli
