'use strict';

// `stream`: Readable, Writable, Duplex, Transform, PassThrough, pipeline, finished,
// Readable.from, and the promise forms in `stream/promises` (internal/streams/).

const { ObjectDefineProperty } = primordials;
const { Readable, Stream, getDefaultHighWaterMark, setDefaultHighWaterMark, addAbortSignal } =
  require('internal/streams/readable');
const { Writable } = require('internal/streams/writable');
const { Duplex, Transform, PassThrough } = require('internal/streams/duplex');
const { pipeline } = require('internal/streams/pipeline');
const utils = require('internal/streams/utils');

Stream.Stream = Stream;
Stream.Readable = Readable;
Stream.Writable = Writable;
Stream.Duplex = Duplex;
Stream.Transform = Transform;
Stream.PassThrough = PassThrough;
Stream.pipeline = pipeline;
Stream.finished = utils.eos;
Stream.destroy = utils.destroyer;
Stream.addAbortSignal = addAbortSignal;
Stream.isDisturbed = (stream) => !!(stream._readableState?.dataEmitted || stream._readableState?.endEmitted);
Stream.isErrored = (stream) => !!(stream._readableState?.errored || stream._writableState?.errored);
Stream.isReadable = utils.isReadable;
Stream.getDefaultHighWaterMark = getDefaultHighWaterMark;
Stream.setDefaultHighWaterMark = setDefaultHighWaterMark;
Stream._isUint8Array = (value) => value instanceof primordials.Uint8Array;
Stream._uint8ArrayToBuffer = (chunk) => new internals.FastBuffer(chunk.buffer, chunk.byteOffset, chunk.byteLength);

ObjectDefineProperty(Stream, 'promises', {
  configurable: true,
  enumerable: true,
  get() {
    return require('stream/promises');
  },
});
ObjectDefineProperty(pipeline, primordials.SymbolFor('nodejs.util.promisify.custom'), {
  enumerable: true,
  get() {
    return require('stream/promises').pipeline;
  },
});
ObjectDefineProperty(utils.eos, primordials.SymbolFor('nodejs.util.promisify.custom'), {
  enumerable: true,
  get() {
    return require('stream/promises').finished;
  },
});

module.exports = Stream;
