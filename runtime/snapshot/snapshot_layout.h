#pragma once

#include <cstddef>

namespace kiln {

// What make_snapshot.cpp stores besides the default context, and the runtime reads back
// (SnapshotCreator::AddData indexes, in the order they are added).
//
// js-lib's internals.startRun (js-lib/05_run_start.js), which the runtime calls once
// per run before any user code.
inline constexpr size_t k_snapshot_start_run_index = 0;

} // namespace kiln
