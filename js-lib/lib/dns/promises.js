'use strict';

// `dns/promises`: the promise API of `dns`.

module.exports = require('dns').promises;
