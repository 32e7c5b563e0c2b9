// require() of relative paths: exact file, extension search, index.js, package.json
// "main" without extension, JSON, and a trailing slash meaning "folder".
const fixtures = '../fixtures/resolution';
console.log(require(`${fixtures}/extensionless_target`));
console.log(require(`${fixtures}/extensionless_target.js`));
console.log(require(`${fixtures}/dir_with_index`));
console.log(require(`${fixtures}/dir_with_index/`));
console.log(require(`${fixtures}/dir_with_main`));
console.log(require(`${fixtures}/data`));
console.log(require(`${fixtures}/data.json`) === require(`${fixtures}/data`));
console.log(require('path').relative(__dirname, require.resolve(`${fixtures}/dir_with_main`)));
