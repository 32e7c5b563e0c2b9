#include "runtime/snapshot/embedded_snapshot.h"

// Defined by snapshot_blob.S around the blob's bytes.
extern "C" const char kiln_snapshot_blob[];
extern "C" const char kiln_snapshot_blob_end[];

namespace kiln {

const v8::StartupData& embedded_startup_snapshot()
{
    static const v8::StartupData s_blob {
        kiln_snapshot_blob,
        static_cast<int>(kiln_snapshot_blob_end - kiln_snapshot_blob),
    };
    return s_blob;
}

} // namespace kiln
