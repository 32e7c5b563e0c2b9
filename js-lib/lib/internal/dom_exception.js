'use strict';

// DOMException (WebIDL §3.14): the error Web APIs throw (AbortError, TimeoutError,
// InvalidCharacterError, DataCloneError...). Like Node's, it is an Error subclass so
// stacks and `instanceof Error` work.

const { ObjectDefineProperties, SymbolToStringTag } = primordials;

// Legacy numeric codes for the names that have one.
const kLegacyCodes = {
  __proto__: null,
  IndexSizeError: 1, HierarchyRequestError: 3, WrongDocumentError: 4, InvalidCharacterError: 5,
  NoModificationAllowedError: 7, NotFoundError: 8, NotSupportedError: 9, InvalidStateError: 11, SyntaxError: 12,
  InvalidModificationError: 13, NamespaceError: 14, InvalidAccessError: 15, TypeMismatchError: 17,
  SecurityError: 18, NetworkError: 19, AbortError: 20, URLMismatchError: 21, QuotaExceededError: 22,
  TimeoutError: 23, InvalidNodeTypeError: 24, DataCloneError: 25,
};

class DOMException extends primordials.Error {
  #name;

  constructor(message = '', options = 'Error') {
    super(`${message}`);
    if (options !== null && typeof options === 'object') {
      this.#name = 'name' in options ? `${options.name}` : 'Error';
      if ('cause' in options) {
        primordials.ObjectDefineProperty(this, 'cause', {
          value: options.cause, writable: true, enumerable: false, configurable: true,
        });
      }
    } else {
      this.#name = `${options}`;
    }
  }

  get name() {
    return this.#name;
  }

  get code() {
    return kLegacyCodes[this.#name] ?? 0;
  }
}

ObjectDefineProperties(DOMException.prototype, {
  [SymbolToStringTag]: { value: 'DOMException', configurable: true },
  name: { enumerable: true },
  code: { enumerable: true },
});

module.exports = { DOMException };
