#pragma once

// A temporary folder for a test, removed with everything in it when the object dies.
// Host tests only (it throws when the folder cannot be made, which fails the test).

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace kiln::testing {

class ScratchDir {
public:
    // The folder is $TMPDIR/kiln-TAG-XXXXXX.
    explicit ScratchDir(const std::string& tag)
    {
        std::string pattern = (std::filesystem::temp_directory_path() / ("kiln-" + tag + "-XXXXXX")).string();
        if (!mkdtemp(pattern.data()))
            throw std::runtime_error("mkdtemp " + pattern + " failed");
        m_path = pattern;
    }
    ~ScratchDir()
    {
        std::error_code ignored;
        std::filesystem::remove_all(m_path, ignored);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;

    const std::filesystem::path& path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

// Writes `text` to `file`, making the folders on the way.
inline void write_text(const std::filesystem::path& file, const std::string& text)
{
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
}

} // namespace kiln::testing
