'use strict';

// Finds the named exports of a CommonJS module without running it, so that
// `import { x } from './file.cjs'` can be linked before any code runs, like Node's
// cjs-module-lexer. It tokenizes the source (skipping comments, strings, templates
// and regular expressions) and recognises the same shapes:
//
//   exports.a = ...            exports['a'] = ...           module.exports.a = ...
//   Object.defineProperty(exports, 'a', ...)
//   module.exports = { a, b: c, 'd': e, ...require('./x') }
//   module.exports = require('./x')      __exportStar(require('./x'), exports)
//
// Re-exports are returned as specifiers for the caller to resolve and lex in turn.
// Differences from cjs-module-lexer: defineProperty is accepted whatever its
// descriptor, and Babel's `Object.keys(_x).forEach(...)` re-export loop is not
// recognised.

const {
  ArrayPrototypePush, RegExpPrototypeExec, SetPrototypeAdd, SetPrototypeHas, StringPrototypeCharCodeAt,
  StringPrototypeIndexOf, StringPrototypeSlice,
} = primordials;

const kIdentifier = 1;
const kString = 2;
const kPunctuator = 3;
const kOther = 4;

// After these words a '/' starts a regular expression, not a division.
const kKeywordsBeforeExpression = new primordials.Set([
  'return', 'typeof', 'case', 'do', 'else', 'in', 'instanceof', 'new', 'delete', 'void', 'throw', 'yield', 'await',
]);

function isIdentifierCode(code) {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 36
    || code === 95 || code > 127;
}

function isSpace(code) {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 11 || code === 12 || code === 0xa0
    || code === 0xfeff || code === 0x2028 || code === 0x2029;
}

// The index just after the string literal that starts at `start` (a quote).
function skipString(source, start) {
  const quote = StringPrototypeCharCodeAt(source, start);
  let i = start + 1;
  while (i < source.length) {
    const code = StringPrototypeCharCodeAt(source, i);
    if (code === 92) i += 2;
    else if (code === quote) return i + 1;
    else if (code === 10) return i;
    else i++;
  }
  return i;
}

function skipRegExp(source, start) {
  let i = start + 1;
  let inClass = false;
  while (i < source.length) {
    const code = StringPrototypeCharCodeAt(source, i);
    if (code === 92) {
      i += 2;
      continue;
    }
    if (code === 10) return i;
    if (code === 91) inClass = true;
    else if (code === 93) inClass = false;
    else if (code === 47 && !inClass) break;
    i++;
  }
  i++;
  while (i < source.length && isIdentifierCode(StringPrototypeCharCodeAt(source, i))) i++;
  return i;
}

function tokenize(source) {
  const tokens = [];
  // Template literal nesting: each entry is the brace depth at which a `${` opened.
  const templateDepths = [];
  let braceDepth = 0;
  let i = 0;
  const push = (type, value) => ArrayPrototypePush(tokens, { type, value });
  const regExpAllowed = () => {
    if (tokens.length === 0) return true;
    const last = tokens[tokens.length - 1];
    if (last.type === kIdentifier) return SetPrototypeHas(kKeywordsBeforeExpression, last.value);
    if (last.type === kString || last.type === kOther) return false;
    return last.value !== ')' && last.value !== ']' && last.value !== '}';
  };
  const scanTemplate = () => {
    // At the character after '`' or after the '}' closing a substitution.
    while (i < source.length) {
      const code = StringPrototypeCharCodeAt(source, i);
      if (code === 92) {
        i += 2;
      } else if (code === 96) {
        i++;
        push(kOther, '`');
        return;
      } else if (code === 36 && StringPrototypeCharCodeAt(source, i + 1) === 123) {
        i += 2;
        ArrayPrototypePush(templateDepths, braceDepth);
        braceDepth++;
        push(kPunctuator, '(');
        return;
      } else {
        i++;
      }
    }
  };

  while (i < source.length) {
    const code = StringPrototypeCharCodeAt(source, i);
    if (isSpace(code)) {
      i++;
    } else if (code === 47 && StringPrototypeCharCodeAt(source, i + 1) === 47) {
      while (i < source.length && StringPrototypeCharCodeAt(source, i) !== 10) i++;
    } else if (code === 47 && StringPrototypeCharCodeAt(source, i + 1) === 42) {
      const end = StringPrototypeIndexOf(source, '*/', i + 2);
      i = end === -1 ? source.length : end + 2;
    } else if (code === 39 || code === 34) {
      const end = skipString(source, i);
      push(kString, decodeStringLiteral(StringPrototypeSlice(source, i + 1, end - 1)));
      i = end;
    } else if (code === 96) {
      i++;
      scanTemplate();
    } else if (code === 47) {
      if (regExpAllowed()) {
        i = skipRegExp(source, i);
        push(kOther, 'regexp');
      } else {
        i++;
        push(kPunctuator, '/');
      }
    } else if (isIdentifierCode(code)) {
      const start = i;
      while (i < source.length && isIdentifierCode(StringPrototypeCharCodeAt(source, i))) i++;
      const word = StringPrototypeSlice(source, start, i);
      push(code >= 48 && code <= 57 ? kOther : kIdentifier, word);
    } else if (code === 46 && StringPrototypeCharCodeAt(source, i + 1) === 46
               && StringPrototypeCharCodeAt(source, i + 2) === 46) {
      i += 3;
      push(kPunctuator, '...');
    } else if (code === 61) {
      // '=', '==', '===', '=>' are different tokens.
      const next = StringPrototypeCharCodeAt(source, i + 1);
      if (next === 61 || next === 62) {
        i += next === 61 && StringPrototypeCharCodeAt(source, i + 2) === 61 ? 3 : 2;
        push(kPunctuator, '==');
      } else {
        i++;
        push(kPunctuator, '=');
      }
    } else if (code === 123) {
      braceDepth++;
      i++;
      push(kPunctuator, '{');
    } else if (code === 125) {
      braceDepth--;
      i++;
      if (templateDepths.length > 0 && templateDepths[templateDepths.length - 1] === braceDepth) {
        templateDepths.length--;
        push(kPunctuator, ')');
        scanTemplate();
      } else {
        push(kPunctuator, '}');
      }
    } else {
      i++;
      push(kPunctuator, source[i - 1]);
    }
  }
  return tokens;
}

// Module names are plain in practice; only the common escapes are decoded.
function decodeStringLiteral(text) {
  if (RegExpPrototypeExec(/\\/, text) === null) return text;
  try {
    return primordials.JSONParse(`"${text}"`);
  } catch {
    return text;
  }
}

function lexCommonJs(source) {
  const tokens = tokenize(source);
  const names = new primordials.Set();
  const reexports = [];
  const at = (index, type, value) => {
    const token = tokens[index];
    return token !== undefined && token.type === type && (value === undefined || token.value === value);
  };
  const isAssignment = (index) => at(index, kPunctuator, '=');
  // `require ( 'x' )` at index: the specifier, or undefined.
  const requireAt = (index) => (at(index, kIdentifier, 'require') && at(index + 1, kPunctuator, '(')
    && at(index + 2, kString) && at(index + 3, kPunctuator, ')') ? tokens[index + 2].value : undefined);

  // A property assignment after `exports` ends at index: `.a =` or `['a'] =`.
  const tryProperty = (index) => {
    if (at(index, kPunctuator, '.') && at(index + 1, kIdentifier) && isAssignment(index + 2)) {
      SetPrototypeAdd(names, tokens[index + 1].value);
    } else if (at(index, kPunctuator, '[') && at(index + 1, kString) && at(index + 2, kPunctuator, ']')
               && isAssignment(index + 3)) {
      SetPrototypeAdd(names, tokens[index + 1].value);
    }
  };

  const tryObjectLiteral = (index) => {
    let i = index + 1;
    for (;;) {
      if (at(i, kPunctuator, '}')) return;
      if (at(i, kPunctuator, '...')) {
        const specifier = requireAt(i + 1);
        if (specifier === undefined) return;
        ArrayPrototypePush(reexports, specifier);
        i += 5;
      } else if (at(i, kIdentifier) || at(i, kString)) {
        const key = tokens[i].value;
        if (at(i + 1, kPunctuator, ':') && (at(i + 2, kIdentifier) || at(i + 2, kString))) {
          SetPrototypeAdd(names, key);
          i += 3;
        } else if (tokens[i].type === kIdentifier && (at(i + 1, kPunctuator, ',') || at(i + 1, kPunctuator, '}'))) {
          SetPrototypeAdd(names, key);
          i += 1;
        } else {
          return;
        }
      } else {
        return;
      }
      if (at(i, kPunctuator, ',')) i++;
      else if (!at(i, kPunctuator, '}')) return;
    }
  };

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.type !== kIdentifier) continue;
    const afterDot = i > 0 && at(i - 1, kPunctuator, '.');
    if (token.value === 'exports' && !afterDot) {
      tryProperty(i + 1);
    } else if (token.value === 'module' && !afterDot && at(i + 1, kPunctuator, '.') && at(i + 2, kIdentifier, 'exports')) {
      tryProperty(i + 3);
      if (isAssignment(i + 3)) {
        if (at(i + 4, kPunctuator, '{')) tryObjectLiteral(i + 4);
        const specifier = requireAt(i + 4);
        if (specifier !== undefined) ArrayPrototypePush(reexports, specifier);
      }
    } else if (token.value === 'Object' && at(i + 1, kPunctuator, '.') && at(i + 2, kIdentifier, 'defineProperty')
               && at(i + 3, kPunctuator, '(')) {
      let target = i + 4;
      if (at(target, kIdentifier, 'exports')) target += 1;
      else if (at(target, kIdentifier, 'module') && at(target + 1, kPunctuator, '.')
               && at(target + 2, kIdentifier, 'exports')) target += 3;
      else continue;
      if (at(target, kPunctuator, ',') && at(target + 1, kString)) SetPrototypeAdd(names, tokens[target + 1].value);
    } else if ((token.value === '__exportStar' || token.value === '__export') && at(i + 1, kPunctuator, '(')) {
      const specifier = requireAt(i + 2);
      if (specifier !== undefined) ArrayPrototypePush(reexports, specifier);
    }
  }
  return { names, reexports };
}

module.exports = { lexCommonJs };
