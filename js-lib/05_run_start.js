'use strict';

// What the library does at the start of every run, as opposed to once when it is
// built. These bootstrap files normally run at build time, when kiln-runtime's startup
// snapshot is made (runtime/README.md, "Startup snapshot"), so the heap they leave
// behind is shared by every run. Anything that belongs to one run must therefore not
// be read while they run, but in a function given to internals.atRunStart(fn): argv,
// env, pid, the working directory, clocks, memory shared with C++ (typed arrays over
// native fields), the functions the native side calls back (setHooks, setupTimers).
//
// The runtime calls internals.startRun() once per run, before any user code: after
// restoring the snapshot, or right after the bootstrap with --no-snapshot. Hooks run
// in the order they were added, that is in file order.

// The primordials first (00_primordials.js): the hooks after them may use them.
const hooks = [internals.completePrimordials];

internals.atRunStart = function atRunStart(hook) {
  hooks[hooks.length] = hook;
};

internals.startRun = function startRun() {
  for (let i = 0; i < hooks.length; i++) hooks[i]();
};
