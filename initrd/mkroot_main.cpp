// kiln-mkroot: builds a root image for any program, for boot tests and experiments.
//
//   kiln-mkroot -o root.erofs [--env K=V]... [--cwd DIR] [--file SRC:/DEST]... [--app DIR]
//               PROGRAM [ARGS...]

#include <cstdio>
#include <cstring>
#include <string>

#include "root_builder.h"

int main(int argc, char** argv)
{
    kiln::initrd::ProgramImageSpec spec;
    int i = 1;
    auto usage = [] {
        std::fprintf(stderr,
            "usage: kiln-mkroot -o IMAGE [--env K=V]... [--cwd DIR] [--file SRC:/DEST]... [--app DIR] PROGRAM "
            "[ARGS...]\n");
        return 2;
    };
    for (; i < argc && argv[i][0] == '-'; ++i) {
        std::string flag = argv[i];
        if (i + 1 >= argc)
            return usage();
        std::string value = argv[++i];
        if (flag == "-o") {
            spec.output_path = value;
        } else if (flag == "--env") {
            spec.env.push_back(value);
        } else if (flag == "--cwd") {
            spec.cwd = value;
        } else if (flag == "--app") {
            spec.app_dir = value;
        } else if (flag == "--file") {
            auto colon = value.find(':');
            if (colon == std::string::npos)
                return usage();
            spec.files.emplace_back(value.substr(0, colon), value.substr(colon + 1));
        } else {
            return usage();
        }
    }
    if (i >= argc || spec.output_path.empty())
        return usage();
    spec.program = argv[i++];
    for (; i < argc; ++i)
        spec.args.push_back(argv[i]);
    auto built = kiln::initrd::build_program_image(spec);
    if (!built.ok) {
        std::fprintf(stderr, "kiln-mkroot: %s\n", built.error.c_str());
        return 1;
    }
    return 0;
}
