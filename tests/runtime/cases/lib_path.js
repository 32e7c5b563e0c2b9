// path (POSIX): every function over inputs with dots, repeated and trailing slashes,
// empty strings and roots, compared with Node.
const path = require('path');
const inputs = ['', '/', '//', '.', '..', 'a', '/a/b/c', 'a/b/../c/./d', '/a//b///c/', '../../x', './a/', 'a/.', '/..',
  'file.txt', '.hidden', 'dir/file.tar.gz', '/a/b.', 'a..', '..b', 'x/y/'];
for (const p of inputs) {
  console.log(JSON.stringify(p), JSON.stringify([path.normalize(p), path.dirname(p), path.basename(p),
    path.basename(p, '.txt'), path.extname(p), path.isAbsolute(p), path.parse(p), path.format(path.parse(p))]));
}
console.log(path.join('a', '', 'b/', '../c', './d'), path.join(), path.join('/', '..', 'x'));
console.log(path.resolve('/a/b', './c', '../d'), path.resolve('/x', '/y', 'z'), path.resolve('') === process.cwd());
const pairs = [['/a/b/c', '/a/d'], ['/a', '/a/b/c'], ['/a/b/c', '/a'], ['/', '/x'], ['/x', '/'], ['/same', '/same'], ['/a/bc', '/a/b']];
for (const [from, to] of pairs) console.log(from, to, JSON.stringify(path.relative(from, to)));
console.log(path.sep, path.delimiter, path.posix === path, path.toNamespacedPath('/x'), path.basename('/a/b.js', 'b.js'));
try { path.join(1); } catch (e) { console.log(e.code, e.message); }
