// Expected output is Node 18's for the same calls.
console.log('%s is %d years, %i, %f, %j %%', 'Bob', 42.5, 42.5, '1.5', { a: [1, 2] });
console.log('%s', { nested: { deep: 1 } }, 'rest', 7);
console.log('unused %s %d');
console.log({ a: 1, b: 'two', c: [1, 2, 3], d: { e: { f: { g: 1 } } } }, null, undefined, 3n, Symbol('x'), -0);
console.log([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
console.log(new Map([['a', 1]]), new Set([1, 'x']), [], {}, [, , 1]);
const circular = { name: 'o' };
circular.self = circular;
console.log(circular);
class Point { constructor() { this.x = 1; } }
console.log(new Point(), Point, function named() {}, () => 1, Object.create(null));
console.log(new Uint8Array([1, 2]), /re/g, new Date(0), "it's", ['a\nb', "it's"]);
console.log({ first_long_property_name: 'some string value', second_long_property_name: 'another value', n: 3 });
