'use strict';

// package.json reading for module resolution, cached per folder for the life of the
// program (the root file system is immutable). Only the fields resolution needs are
// kept: name, main, exports, imports, type.

const { JSONParse, MapPrototypeGet, MapPrototypeSet, StringPrototypeEndsWith } = primordials;
const binding = internalBinding('fs');
const path = require('path');
const { makeNodeError } = require('internal/errors');

const kFile = 1;
const cache = new primordials.Map();

// The package.json in folder `dir`, or null when there is none.
function readPackage(dir) {
  const jsonPath = dir === '/' ? '/package.json' : `${dir}/package.json`;
  const cached = MapPrototypeGet(cache, jsonPath);
  if (cached !== undefined) return cached;
  let result = null;
  if (binding.statKind(jsonPath) === kFile) {
    const text = binding.readFile(jsonPath, true);
    let parsed;
    try {
      parsed = JSONParse(text);
    } catch (error) {
      const invalid = makeNodeError(primordials.Error, 'ERR_INVALID_PACKAGE_CONFIG',
        `Invalid package config ${jsonPath}.`);
      invalid.cause = error;
      throw invalid;
    }
    if (parsed === null || typeof parsed !== 'object') parsed = {};
    result = {
      path: jsonPath,
      dir,
      name: typeof parsed.name === 'string' ? parsed.name : undefined,
      main: typeof parsed.main === 'string' ? parsed.main : undefined,
      exports: parsed.exports,
      imports: parsed.imports,
      type: parsed.type === 'module' || parsed.type === 'commonjs' ? parsed.type : 'none',
    };
  }
  MapPrototypeSet(cache, jsonPath, result);
  return result;
}

// The nearest package.json above `filePath` (its package scope), or null. The walk
// stops at node_modules folders, as Node's does.
function readPackageScope(filePath) {
  let dir = path.dirname(filePath);
  for (;;) {
    if (StringPrototypeEndsWith(dir, '/node_modules')) return null;
    const pkg = readPackage(dir);
    if (pkg !== null) return pkg;
    if (dir === '/') return null;
    dir = path.dirname(dir);
  }
}

module.exports = { readPackage, readPackageScope };
