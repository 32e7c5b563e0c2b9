#pragma once

// A small reader for a command's arguments: flags with values (`-m 512M`,
// `--memory 512M`, `--memory=512M`), positional arguments, and everything after `--`
// passed through untouched.

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace kiln::cli {

class Arguments {
public:
    Arguments(const char* command, const std::vector<std::string>& args)
        : m_command(command)
        , m_args(args)
    {
    }

    // Advances to the next argument; false at the end or at `--` (the rest is in rest()).
    bool next()
    {
        m_inline.reset();
        if (m_index >= m_args.size())
            return false;
        m_current = m_args[m_index++];
        if (m_current == "--") {
            m_rest.assign(m_args.begin() + static_cast<long>(m_index), m_args.end());
            m_index = m_args.size();
            return false;
        }
        if (m_current.size() > 2 && m_current.compare(0, 2, "--") == 0) {
            size_t equals = m_current.find('=');
            if (equals != std::string::npos) {
                m_inline = m_current.substr(equals + 1);
                m_current.erase(equals);
            }
        }
        return true;
    }

    const std::string& current() const { return m_current; }
    bool is(const char* a, const char* b = nullptr) const { return m_current == a || (b && m_current == b); }
    bool is_flag() const { return m_current.size() > 1 && m_current[0] == '-'; }

    // The flag's value; prints "kiln <command>: <flag> needs a value" when missing.
    std::optional<std::string> value()
    {
        if (m_inline)
            return m_inline;
        if (m_index >= m_args.size() || m_args[m_index] == "--") {
            std::fprintf(
                stderr, "kiln %s: %s needs a value (see kiln %s --help)\n", m_command, m_current.c_str(), m_command);
            return std::nullopt;
        }
        return m_args[m_index++];
    }

    int unknown() const
    {
        std::fprintf(
            stderr, "kiln %s: unknown option %s (see kiln %s --help)\n", m_command, m_current.c_str(), m_command);
        return 2;
    }

    const std::vector<std::string>& rest() const { return m_rest; }

private:
    const char* m_command;
    const std::vector<std::string>& m_args;
    size_t m_index = 0;
    std::string m_current;
    std::optional<std::string> m_inline;
    std::vector<std::string> m_rest;
};

} // namespace kiln::cli
