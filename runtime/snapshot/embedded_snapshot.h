#pragma once

#include <v8-snapshot.h>

namespace kiln {

// The startup snapshot baked into kiln-runtime at build time (snapshot_blob.S includes
// the blob make_snapshot.cpp wrote). Only kiln-runtime links it; the generator cannot.
const v8::StartupData& embedded_startup_snapshot();

} // namespace kiln
