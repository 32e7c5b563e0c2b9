// fs: sync reads and writes under /tmp, Stats, readdir with types, realpath, Node-style
// errors (code, errno, syscall, path), and the callback and promise forms.
const fs = require('fs');
const path = require('path');
const dir = fs.mkdtempSync ? '/tmp/kiln-fs-test' : '';
fs.rmSync(dir, { recursive: true, force: true });
console.log(fs.mkdirSync(path.join(dir, 'a/b'), { recursive: true }) === dir);
fs.writeFileSync(path.join(dir, 'f.txt'), 'héllo');
fs.appendFileSync(path.join(dir, 'f.txt'), ' world');
console.log(fs.readFileSync(path.join(dir, 'f.txt'), 'utf8'), fs.readFileSync(path.join(dir, 'f.txt')), fs.existsSync(dir), fs.existsSync('/nope'));
const st = fs.statSync(path.join(dir, 'f.txt'));
console.log(st.isFile(), st.isDirectory(), st.size, typeof st.mtimeMs, st.mtime instanceof Date, fs.statSync(dir).isDirectory());
console.log(fs.readdirSync(dir).sort(), fs.readdirSync(dir, { withFileTypes: true }).map((d) => [d.name, d.isDirectory()]).sort());
fs.renameSync(path.join(dir, 'f.txt'), path.join(dir, 'g.txt'));
console.log(fs.readdirSync(dir).sort(), fs.statSync('/nope', { throwIfNoEntry: false }));
for (const f of [() => fs.readFileSync('/nope'), () => fs.statSync('/nope/x'), () => fs.readdirSync('/nope'), () => fs.readFileSync(dir), () => fs.mkdirSync(dir), () => fs.renameSync('/nope1', '/nope2'), () => fs.accessSync('/nope'), () => fs.unlinkSync('/nope'), () => fs.rmdirSync(path.join(dir, 'a')), () => fs.readlinkSync(dir), () => fs.realpathSync('/nope/x'), () => fs.openSync('/nope', 'r')]) {
  try { f(); } catch (e) { console.log(e.code, e.errno, e.syscall, e.message); }
}
console.log(fs.realpathSync('/tmp/../tmp/kiln-fs-test/a/..'), fs.realpathSync.native('/'));
const fd = fs.openSync(path.join(dir, 'g.txt'), 'r'); const buf = Buffer.alloc(3); console.log(fs.readSync(fd, buf, 0, 3, 1), buf.toString()); fs.closeSync(fd);
fs.readFile(path.join(dir, 'g.txt'), 'utf8', (err, data) => {
  console.log('cb', err, data);
  fs.readFile('/nope', async (err) => {
    console.log('cb err', err.code);
    console.log('promise', await fs.promises.readFile(path.join(dir, 'g.txt'), 'utf8'));
    await fs.promises.stat('/nope').catch((e) => console.log('promise err', e.code));
    console.log('fs/promises', (await require('fs/promises').readdir(dir)).sort());
    fs.rmSync(dir, { recursive: true });
    console.log(fs.existsSync(dir));
  });
});
console.log('sync done');
