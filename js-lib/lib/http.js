'use strict';

// `http`: HTTP/1.1 servers and clients (see _http_server.js, _http_client.js,
// _http_agent.js; the parser is native: internalBinding('http_parser')).

const { ObjectDefineProperty } = primordials;
const { methods, kDefaultMaxHeaderSize } = require('_http_common');
const { OutgoingMessage, validateHeaderName, validateHeaderValue } = require('_http_outgoing');
const { IncomingMessage } = require('_http_incoming');
const { Agent, globalAgent } = require('_http_agent');
const { ClientRequest } = require('_http_client');
const { STATUS_CODES, Server, ServerResponse, createServer } = require('_http_server');

let agent = globalAgent;

function request(url, options, cb) {
  return new ClientRequest(url, options, cb);
}

function get(url, options, cb) {
  const req = request(url, options, cb);
  req.end();
  return req;
}

module.exports = {
  _connectionListener: require('_http_server')._connectionListener,
  METHODS: methods.slice().sort(),
  STATUS_CODES,
  Agent,
  ClientRequest,
  IncomingMessage,
  OutgoingMessage,
  Server,
  ServerResponse,
  createServer,
  validateHeaderName,
  validateHeaderValue,
  get,
  request,
  setMaxIdleHTTPParsers() {},
  maxHeaderSize: kDefaultMaxHeaderSize,
};

ObjectDefineProperty(module.exports, 'globalAgent', {
  configurable: true,
  enumerable: true,
  get() {
    return agent;
  },
  set(value) {
    agent = value;
  },
});
