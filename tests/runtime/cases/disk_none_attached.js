// Without attached disks (and without KILN_DISKS) kiln:disk lists none; KILN_DISKS
// entries are checked when disks are listed or opened.
const { disks, open } = require('kiln:disk');

function thrown(fn) {
  try {
    fn();
    return 'no error';
  } catch (error) {
    return `${error.code}: ${error.message}`;
  }
}

console.log('disks:', JSON.stringify(disks()));
console.log(thrown(() => open('vda')));
for (const setting of ['justaname', 'bad name=/tmp/x', '=/tmp/x', 'a=', 'a=/dev/null,a=/dev/null', 'a=/no/such/file']) {
  process.env.KILN_DISKS = setting;
  console.log(thrown(() => disks()));
}
// A regular file is a disk on any machine; one name twice is an error.
process.env.KILN_DISKS = `self=${__filename}:ro`;
const [self] = disks();
console.log('a file as a disk:', self.name, self.size === require('fs').statSync(__filename).size, self.blockSize,
  self.readOnly);
process.env.KILN_DISKS = `a=${__filename},a=${__filename}`;
console.log(thrown(() => disks()).replace(__filename, 'FILE'));
process.env.KILN_DISKS = ' , ';
console.log('blank entries:', JSON.stringify(disks()));
