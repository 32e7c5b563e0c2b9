// assert: AssertionError fields and messages for the common assertions, throws/rejects
// matching by class, RegExp and object, and assert/strict.
const assert = require('assert');
const tries = [
  () => assert.ok(0), () => assert(false, 'custom'), () => assert.equal(1, 2), () => assert.strictEqual(1, '1'),
() => assert.notStrictEqual(1, 1), () => assert.throws(() => {}),
  () => assert.throws(() => { throw new TypeError('x'); }, RangeError), () => assert.throws(() => { throw new Error('abc'); }, /zzz/),
  () => assert.fail('boom'), () => assert.match('abc', /x/), () => assert.ifError(new Error('e')),
];
for (const t of tries) {
  try { t(); console.log('no throw'); } catch (e) { console.log(e.name, e.code, JSON.stringify(e.message), e.operator, e.generatedMessage); }
}
assert.ok(1); assert.equal(1, '1'); assert.deepEqual({ a: [1] }, { a: ['1'] }); assert.deepStrictEqual(new Set([1]), new Set([1]));
assert.throws(() => { throw new TypeError('bad'); }, TypeError); assert.throws(() => { throw new Error('abc'); }, /ab/);
assert.throws(() => { throw Object.assign(new Error('m'), { code: 'X' }); }, { code: 'X', message: 'm' });
assert.strict.equal(1, 1);
try { require('assert/strict').equal(1, '1'); } catch (e) { console.log('strict mode', e.code); }
assert.rejects(Promise.reject(new Error('r')), /r/).then(() => console.log('rejects ok'));
assert.rejects(Promise.resolve(1)).catch((e) => console.log(e.message));
const e = new assert.AssertionError({ actual: 1, expected: 2, operator: 'strictEqual' });
console.log(e instanceof Error, e.name, String(e).split('\n')[0]);
