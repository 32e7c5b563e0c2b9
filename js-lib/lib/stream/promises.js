'use strict';

// `stream/promises`: pipeline() and finished() returning promises.

const { pipelinePromise } = require('internal/streams/pipeline');
const { finishedPromise } = require('internal/streams/utils');

module.exports = { pipeline: pipelinePromise, finished: finishedPromise };
