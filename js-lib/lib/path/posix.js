'use strict';

// `path/posix`: the same object as `path` (Kiln is POSIX-only).
module.exports = require('path');
