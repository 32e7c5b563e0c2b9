// kiln-runtime: runs one JavaScript file in V8 and exits with its status.
//
//     kiln-runtime [--no-snapshot] [--v8-flags=FLAGS] <script.js> [args...]
//
// --no-snapshot (or KILN_NO_SNAPSHOT=1 in the environment) compiles and runs js-lib at
// start instead of restoring the startup snapshot made at build time: for comparison
// and for debugging the library's bootstrap.
//
// This file only turns the command line into a LaunchInfo and the run into an exit
// status; runtime.cpp does the work.
#include <climits>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <unistd.h>

#include "runtime/fd_output.h"
#include "runtime/runtime.h"
#include "runtime/snapshot/embedded_snapshot.h"
#include "runtime/v8_engine.h"

extern char** environ;

namespace {

constexpr std::string_view k_usage = "usage: kiln-runtime [--no-snapshot] [--v8-flags=FLAGS] <script.js> [args...]\n";

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
    const char* no_snapshot_variable = std::getenv("KILN_NO_SNAPSHOT");
    bool use_snapshot = !no_snapshot_variable || std::string_view(no_snapshot_variable) != "1";
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
        if (arg == "--no-snapshot") {
            use_snapshot = false;
            continue;
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
    const v8::StartupData* snapshot = nullptr;
    if (use_snapshot) {
        snapshot = &kiln::embedded_startup_snapshot();
        // A libnode upgraded without rebuilding kiln-runtime: say so rather than let
        // V8 fail somewhere inside deserialization, and never quietly go without.
        if (!snapshot->IsValid()) {
            kiln::write_to_stderr("kiln-runtime: the startup snapshot was made for another V8 than this libnode's; "
                                  "rebuild kiln-runtime (or run with --no-snapshot)\n");
            return kiln::k_exit_uncaught_error;
        }
    }
    kiln::Runtime runtime(engine, std::move(launch), snapshot);
    return runtime.run();
}
