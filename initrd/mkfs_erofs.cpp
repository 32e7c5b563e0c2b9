#include "mkfs_erofs.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <vector>

extern char** environ;

namespace kiln::initrd {

namespace fs = std::filesystem;

std::string run_mkfs_erofs(const fs::path& tree, const fs::path& image, const fs::path& scratch)
{
    // -T0: every inode's mtime is 0; --all-root: uid/gid 0; -U: fixed UUID; together
    // with the normalized staging tree these make the output depend only on content.
    // -E noinline_data: no file tail is packed next to its inode, so every file's data
    // starts on a block boundary (EROFS_INODE_FLAT_PLAIN) and the kernel can map ELF
    // segments straight from the image.
    std::vector<std::string> args = { "mkfs.erofs", "--quiet", "-T0", "--all-root", std::string("-U") + IMAGE_UUID,
        "-Enoinline_data", image.string(), tree.string() };
    std::vector<char*> argv;
    for (std::string& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);

    fs::path log = scratch / "mkfs.log";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    pid_t pid;
    int spawn_error = posix_spawnp(&pid, "mkfs.erofs", &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (spawn_error == ENOENT)
        return "mkfs.erofs is not installed: run scripts/setup (Debian package erofs-utils)";
    if (spawn_error != 0)
        return std::string("cannot run mkfs.erofs: ") + strerror(spawn_error);

    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) { }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return {};
    std::ifstream in(log);
    std::string output(std::istreambuf_iterator<char>(in), {});
    return "mkfs.erofs failed to write " + image.string() + (output.empty() ? "" : ":\n" + output);
}

} // namespace kiln::initrd
