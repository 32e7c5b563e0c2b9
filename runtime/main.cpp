// kiln-runtime: runs one JavaScript file in V8 and exits with its status.
//
//     kiln-runtime [--v8-flags=FLAGS] <script.js> [args...]
//
// This file only turns the command line into a LaunchInfo and the run into an exit
// status; runtime.cpp does the work.
#include <climits>
#include <csignal>
#include <filesystem>
#include <string>
#include <string_view>
#include <unistd.h>

#include "runtime/fd_output.h"
#include "runtime/runtime.h"
#include "runtime/v8_engine.h"

extern char** environ;

namespace {

constexpr std::string_view k_usage = "usage: kiln-runtime [--v8-flags=FLAGS] <script.js> [args...]\n";

// process.execPath: where the binary really is, as Node finds it (/proc/self/exe), so it
// does not depend on how we were invoked. The Kiln kernel provides the same link.
std::string executable_path(const char* argv0)
{
    char path[PATH_MAX];
    ssize_t length = ::readlink("/proc/self/exe", path, sizeof path - 1);
    if (length > 0)
        return std::string(path, static_cast<size_t>(length));
    std::error_code ignored;
    return std::filesystem::absolute(argv0, ignored).lexically_normal().string();
}

// Like Node's path.resolve(): absolute and normalized, symbolic links left alone.
std::string absolute_script_path(const char* path)
{
    std::error_code ignored;
    return std::filesystem::absolute(path, ignored).lexically_normal().string();
}

} // namespace

int main(int argc, char** argv)
{
    std::string v8_flags;
    int first_script_arg = 1;
    for (; first_script_arg < argc; ++first_script_arg) {
        std::string_view arg = argv[first_script_arg];
        if (arg == "--") {
            ++first_script_arg;
            break;
        }
        if (!arg.starts_with("--"))
            break;
        if (arg == "--help") {
            kiln::write_to_stderr(k_usage);
            return kiln::k_exit_success;
        }
        if (arg.starts_with("--v8-flags=")) {
            v8_flags += ' ';
            v8_flags += arg.substr(std::string_view("--v8-flags=").size());
            continue;
        }
        kiln::write_to_stderr("kiln-runtime: bad option: " + std::string(arg) + "\n" + std::string(k_usage));
        return kiln::k_exit_invalid_arguments;
    }
    if (first_script_arg >= argc) {
        kiln::write_to_stderr(k_usage);
        return kiln::k_exit_invalid_arguments;
    }

    kiln::LaunchInfo launch;
    launch.exec_path = executable_path(argv[0]);
    launch.script_path = absolute_script_path(argv[first_script_arg]);
    launch.script_args.assign(argv + first_script_arg + 1, argv + argc);
    for (char** entry = environ; *entry; ++entry)
        launch.environment.emplace_back(*entry);

    // A closed pipe must surface as EPIPE from write(), not kill us; Node does the same.
    std::signal(SIGPIPE, SIG_IGN);

    kiln::V8Engine engine(v8_flags);
    kiln::Runtime runtime(engine, std::move(launch));
    return runtime.run();
}
