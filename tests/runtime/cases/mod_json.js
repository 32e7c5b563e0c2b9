// JSON through require() (parsed once, cached) and parse errors naming the file.
const data = require('../fixtures/resolution/data.json');
console.log(data, data === require('../fixtures/resolution/data'));
try {
  require('../fixtures/resolution/broken.json');
} catch (error) {
  console.log(error.name, error.message.startsWith(require.resolve('../fixtures/resolution/broken.json') + ': '));
}
