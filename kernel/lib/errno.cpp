#include "lib/errno.h"

namespace kiln {

const char* errno_name(Errno e)
{
    switch (e) {
#define KILN_ERRNO_CASE(name, value, text) \
    case Errno::name:                      \
        return text;
        KILN_ERRNO_LIST(KILN_ERRNO_CASE)
#undef KILN_ERRNO_CASE
    }
    return "E?";
}

} // namespace kiln
