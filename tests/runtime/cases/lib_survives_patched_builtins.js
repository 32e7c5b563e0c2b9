// User code that patches built-in prototypes must not break the library: path, url,
// Buffer, events and require itself keep working.
Array.prototype.push = () => { throw new Error('patched push'); };
Array.prototype.map = () => { throw new Error('patched map'); };
String.prototype.slice = () => { throw new Error('patched slice'); };
String.prototype.indexOf = () => { throw new Error('patched indexOf'); };
JSON.parse = () => { throw new Error('patched JSON.parse'); };
Promise.resolve = () => { throw new Error('patched Promise.resolve'); };
const path = require('path');
console.log(path.join('/a', '../b', 'c.js'), path.relative('/a/b', '/a/c'));
console.log(Buffer.from('héllo').toString('base64'), Buffer.concat([Buffer.from('a'), Buffer.from('b')]).toString());
console.log(new URL('../x?y=1#z', 'http://h/a/b').href);
const EventEmitter = require('events');
const e = new EventEmitter();
e.on('x', (v) => console.log('event', v));
e.emit('x', 1);
console.log(require('../fixtures/resolution/data.json').name);
