'use strict';

// The "exports" and "imports" fields of package.json: Node's PACKAGE_EXPORTS_RESOLVE,
// PACKAGE_IMPORTS_RESOLVE and PACKAGE_TARGET_RESOLVE (doc/api/esm.md, "Resolution
// Algorithm Specification"), shared by require() and import. Results are absolute file
// paths that are not yet checked to exist; the callers do that.

const {
  ArrayIsArray, ObjectKeys, ObjectPrototypeHasOwnProperty, RegExpPrototypeExec,
  SetPrototypeHas, StringPrototypeEndsWith, StringPrototypeIncludes, StringPrototypeIndexOf,
  StringPrototypeLastIndexOf, StringPrototypeReplace, StringPrototypeSlice, StringPrototypeStartsWith,
} = primordials;
const { makeNodeError } = require('internal/errors');

// Targets may not step out of the package or into node_modules (spec: "invalid segment").
const kInvalidSegment = /(^|\\|\/)((\.|%2e)(\.|%2e)?|(n|%6e|%4e)(o|%6f|%4f)(d|%64|%44)(e|%65|%45)(_|%5f)(m|%6d|%4d)(o|%6f|%4f)(d|%64|%44)(u|%75|%55)(l|%6c|%4c)(e|%65|%45)(s|%73|%53))?(\\|\/|$)/i;

function importedFrom(base) {
  return base ? ` imported from ${base}` : '';
}

function pathNotExported(pkg, subpath, base) {
  const message = subpath === '.'
    ? `No "exports" main defined in ${pkg.path}${importedFrom(base)}`
    : `Package subpath '${subpath}' is not defined by "exports" in ${pkg.path}${importedFrom(base)}`;
  return makeNodeError(primordials.Error, 'ERR_PACKAGE_PATH_NOT_EXPORTED', message);
}

function invalidTarget(pkg, key, target, isImports, base) {
  const shown = typeof target === 'string' ? `"${target}"` : primordials.JSONStringify(target);
  const relative = typeof target === 'string' && !isImports && !StringPrototypeStartsWith(target, './');
  const message = key === '.' && !isImports
    ? `Invalid "exports" main target ${shown} defined in the package config ${pkg.path}${importedFrom(base)}`
    : `Invalid "${isImports ? 'imports' : 'exports'}" target ${shown} defined for '${key}' in the package config `
      + `${pkg.path}${importedFrom(base)}${relative ? '; targets must start with "./"' : ''}`;
  return makeNodeError(primordials.Error, 'ERR_INVALID_PACKAGE_TARGET', message);
}

function invalidConfig(pkg, reason) {
  return makeNodeError(primordials.Error, 'ERR_INVALID_PACKAGE_CONFIG', `Invalid package config ${pkg.path}. ${reason}`);
}

// `exports` may be a target ("./x.js", [...], {import, require}) standing for ".", or
// a map of subpaths; mixing "." keys and condition keys is an error.
function isConditionalSugar(exports, pkg) {
  if (typeof exports === 'string' || ArrayIsArray(exports)) return true;
  if (typeof exports !== 'object' || exports === null) return false;
  const keys = ObjectKeys(exports);
  let sugar = false;
  for (let i = 0; i < keys.length; i++) {
    const isCondition = keys[i] === '' || keys[i][0] !== '.';
    if (i === 0) {
      sugar = isCondition;
    } else if (sugar !== isCondition) {
      throw invalidConfig(pkg,
        '"exports" cannot contain some keys starting with \'.\' and some not. The exports object must either be '
        + 'an object of package subpath keys or an object of main entry condition name keys only.');
    }
  }
  return sugar;
}

// PACKAGE_TARGET_RESOLVE. `resolveBare(specifier)` handles bare targets of "imports".
// Returns a path, null (explicitly not exported) or undefined (no condition matched).
function resolveTarget(pkg, key, target, patternMatch, isPattern, isImports, conditions, base, resolveBare) {
  if (typeof target === 'string') {
    if (!StringPrototypeStartsWith(target, './')) {
      if (isImports && !StringPrototypeStartsWith(target, '../') && !StringPrototypeStartsWith(target, '/')) {
        let bare = target;
        if (isPattern) bare = StringPrototypeReplace(target, /\*/g, () => patternMatch);
        else if (patternMatch !== '') bare = `${target}${patternMatch}`;
        return resolveBare(bare);
      }
      throw invalidTarget(pkg, key, target, isImports, base);
    }
    if (RegExpPrototypeExec(kInvalidSegment, StringPrototypeSlice(target, 2)) !== null) {
      throw invalidTarget(pkg, key, target, isImports, base);
    }
    const resolved = `${pkg.dir}${StringPrototypeSlice(target, 1)}`;
    if (patternMatch === '') return resolved;
    if (RegExpPrototypeExec(kInvalidSegment, patternMatch) !== null) {
      const error = makeNodeError(primordials.TypeError, 'ERR_INVALID_MODULE_SPECIFIER',
        `Invalid module "${StringPrototypeReplace(key, '*', patternMatch)}" request is not a valid match in pattern `
        + `"${key}" for the "${isImports ? 'imports' : 'exports'}" resolution of ${pkg.path}${importedFrom(base)}`);
      throw error;
    }
    if (isPattern) return StringPrototypeReplace(resolved, /\*/g, () => patternMatch);
    return `${resolved}${patternMatch}`;
  }
  if (ArrayIsArray(target)) {
    if (target.length === 0) return null;
    let lastError;
    for (let i = 0; i < target.length; i++) {
      let resolved;
      try {
        resolved = resolveTarget(pkg, key, target[i], patternMatch, isPattern, isImports, conditions, base,
          resolveBare);
      } catch (error) {
        lastError = error;
        if (error.code === 'ERR_INVALID_PACKAGE_TARGET') continue;
        throw error;
      }
      if (resolved === undefined) continue;
      if (resolved === null) {
        lastError = null;
        continue;
      }
      return resolved;
    }
    if (lastError === undefined || lastError === null) return lastError;
    throw lastError;
  }
  if (typeof target === 'object' && target !== null) {
    const keys = ObjectKeys(target);
    for (let i = 0; i < keys.length; i++) {
      const condition = keys[i];
      if (condition === '' || RegExpPrototypeExec(/^\d+$/, condition) !== null) {
        throw invalidConfig(pkg, '"exports" cannot contain numeric property keys.');
      }
    }
    for (let i = 0; i < keys.length; i++) {
      const condition = keys[i];
      if (condition === 'default' || SetPrototypeHas(conditions, condition)) {
        const resolved = resolveTarget(pkg, key, target[condition], patternMatch, isPattern, isImports, conditions,
          base, resolveBare);
        if (resolved === undefined) continue;
        return resolved;
      }
    }
    return undefined;
  }
  if (target === null) return null;
  throw invalidTarget(pkg, key, target, isImports, base);
}

// Node's PATTERN_KEY_COMPARE: longer prefixes before '*' win, then longer keys.
function patternKeyCompare(a, b) {
  const aStar = StringPrototypeIndexOf(a, '*');
  const bStar = StringPrototypeIndexOf(b, '*');
  const aBase = aStar === -1 ? a.length : aStar + 1;
  const bBase = bStar === -1 ? b.length : bStar + 1;
  if (aBase > bBase) return -1;
  if (bBase > aBase) return 1;
  if (aStar === -1) return 1;
  if (bStar === -1) return -1;
  if (a.length > b.length) return -1;
  if (b.length > a.length) return 1;
  return 0;
}

// Finds `name` in a subpath map ("exports" or "imports"), exact keys first, then
// patterns with one '*'. Returns the target's resolution, or throws `notFound()`.
function resolveInMap(pkg, name, map, isImports, conditions, base, resolveBare, notFound) {
  if (ObjectPrototypeHasOwnProperty(map, name) && !StringPrototypeIncludes(name, '*')) {
    const resolved = resolveTarget(pkg, name, map[name], '', false, isImports, conditions, base, resolveBare);
    if (resolved === null || resolved === undefined) throw notFound();
    return resolved;
  }
  let bestKey = '';
  let bestMatch = '';
  const keys = ObjectKeys(map);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const star = StringPrototypeIndexOf(key, '*');
    if (star === -1 || StringPrototypeIndexOf(key, '*', star + 1) !== -1) continue;
    const prefix = StringPrototypeSlice(key, 0, star);
    if (!StringPrototypeStartsWith(name, prefix) || name === prefix) continue;
    const trailer = StringPrototypeSlice(key, star + 1);
    if (trailer.length > 0
        && (!StringPrototypeEndsWith(name, trailer) || name.length < key.length
            || StringPrototypeLastIndexOf(key, '*') !== star)) {
      continue;
    }
    if (patternKeyCompare(bestKey, key) === 1) {
      bestKey = key;
      bestMatch = StringPrototypeSlice(name, prefix.length, name.length - trailer.length);
    }
  }
  if (bestKey !== '') {
    const resolved = resolveTarget(pkg, bestKey, map[bestKey], bestMatch, true, isImports, conditions, base,
      resolveBare);
    if (resolved === null || resolved === undefined) throw notFound();
    return resolved;
  }
  throw notFound();
}

// PACKAGE_EXPORTS_RESOLVE: `subpath` is '.' or './x'.
function packageExportsResolve(pkg, subpath, conditions, base) {
  let exports = pkg.exports;
  if (isConditionalSugar(exports, pkg)) exports = { '.': exports };
  return resolveInMap(pkg, subpath, exports, false, conditions, base, undefined,
    () => pathNotExported(pkg, subpath, base));
}

// PACKAGE_IMPORTS_RESOLVE for '#name' specifiers, within package `pkg` (may be null).
function packageImportsResolve(name, pkg, conditions, base, resolveBare) {
  const notDefined = () => makeNodeError(primordials.TypeError, 'ERR_PACKAGE_IMPORT_NOT_DEFINED',
    `Package import specifier "${name}" is not defined${pkg ? ` in package ${pkg.path}` : ''}${importedFrom(base)}`);
  if (name === '#' || StringPrototypeStartsWith(name, '#/') || StringPrototypeEndsWith(name, '/')) {
    throw makeNodeError(primordials.TypeError, 'ERR_INVALID_MODULE_SPECIFIER',
      `Invalid module "${name}" is not a valid internal imports specifier name${importedFrom(base)}`);
  }
  if (pkg === null || pkg.imports === null || typeof pkg.imports !== 'object' || ArrayIsArray(pkg.imports)) {
    throw notDefined();
  }
  return resolveInMap(pkg, name, pkg.imports, true, conditions, base, resolveBare, notDefined);
}

module.exports = { packageExportsResolve, packageImportsResolve };
