// package.json "exports" seen from import: the "import"/"node"/"default" conditions.
import { createRequire } from 'node:module';
import { flavour } from '../fixtures/resolution/node_modules/conditional/entry.mjs';
const fixtures = new URL('../fixtures/resolution/', import.meta.url);
const requireThere = createRequire(new URL('index.js', fixtures));
const resolvedFromImport = await import(new URL('node_modules/conditional/entry.mjs', fixtures).href);
console.log(flavour === resolvedFromImport.flavour);
console.log(requireThere('conditional').flavour);
// Bare specifiers resolve from the importing file, so import from inside the fixture.
const probe = await import(new URL('esm_probe.mjs', fixtures).href);
for (const line of probe.lines) console.log(line);
