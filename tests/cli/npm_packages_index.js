'use strict';
// The app of the npm-packages scenario: real packages from the registry, used the
// way apps use them. Its output must be the same under node and in the VM.
const ms = require('ms');
const semver = require('semver');
const _ = require('lodash');
const escapeHtml = require('escape-html');

console.log('ms:', ms('2 days'), ms(60000), ms(ms('10h'), { long: true }));
console.log('semver:', semver.satisfies('1.2.3', '^1.0.0'), semver.inc('1.2.3', 'minor'), semver.valid('v2.0.0-rc.1'));
console.log('lodash:', JSON.stringify(_.chunk([1, 2, 3, 4, 5], 2)), _.camelCase('Foo Bar-baz'), _.uniq([3, 1, 3, 2]).join(','));
console.log('escape-html:', escapeHtml('<a href="x">&</a>'));
let devDependency = 'present';
try {
  require('is-number');
} catch (error) {
  devDependency = `left out (${error.code})`;
}
console.log('devDependency is-number:', devDependency);
