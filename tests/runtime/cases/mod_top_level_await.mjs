// Top-level await: a module waiting on a timer delays only the modules that depend on
// it; its siblings that come first run first, as in Node.
import { value as fast } from '../fixtures/tla/fast.mjs';
import { value as slow } from '../fixtures/tla/slow.mjs';
console.log('main runs after both:', fast, slow);
const answer = await Promise.resolve(42);
console.log('awaited in main:', answer);
