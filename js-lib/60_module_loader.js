'use strict';

// Hands the runtime its two entry points into the module system (see
// runtime/modules/): runMain(path), which loads the program's entry file as Node would
// (an ES module for .mjs or a "type": "module" package, CommonJS otherwise), and
// importDynamic(), which V8 calls for every import(). The loaders themselves are
// library modules under js-lib/lib/internal/modules/, loaded on first use.

const { requireBuiltin } = internals;

function useEsmLoader(mainPath) {
  if (primordials.StringPrototypeEndsWith(mainPath, '.mjs')) return true;
  if (primordials.StringPrototypeEndsWith(mainPath, '.cjs')) return false;
  const scope = requireBuiltin('internal/modules/package_json').readPackageScope(mainPath);
  return scope !== null && scope.type === 'module';
}

function runMain(mainPath) {
  const { resolveCommonJs } = requireBuiltin('internal/modules/resolve');
  const resolved = resolveCommonJs(mainPath, '/', []);
  if (resolved !== undefined && useEsmLoader(resolved)) {
    return requireBuiltin('internal/modules/esm_loader').runMainModule(resolved);
  }
  requireBuiltin('internal/modules/cjs_loader').runMainCommonJs(mainPath);
  return undefined;
}

function importDynamic(specifier, referrerName, assertedType) {
  return requireBuiltin('internal/modules/esm_loader').importDynamic(specifier, referrerName, assertedType);
}

internals.atRunStart(() => {
  internalBinding('modules').setHooks(importDynamic, runMain);
});

// Every main goes through these loaders: loading them now puts them, compiled, into the
// startup snapshot instead of every run. They only define functions and empty caches
// (esm_loader's records map ids of the run's native module registry, and stays empty
// until then) when they load; anything of the run (cwd, env) they read when called.
requireBuiltin('internal/modules/cjs_loader');
requireBuiltin('internal/modules/esm_loader');
