'use strict';

// util.inspect and util.format, as console needs them: the same output as Node's for
// the common cases (plain objects, arrays, Map, Set, errors, class instances, circular
// references, depth limit, line breaking at 80 columns).
// FIXME: no colors, showHidden, Proxy detection, or Promise state (needs a binding).
// FIXME: `for...of` over arrays and maps still uses the patchable %ArrayIteratorPrototype%.

const {
  ArrayIsArray, ArrayPrototypeFilter, ArrayPrototypeIndexOf, ArrayPrototypeJoin, ArrayPrototypePop, ArrayPrototypePush, BigIntPrototypeValueOf,
  BooleanPrototypeValueOf, DatePrototypeGetTime, DatePrototypeToISOString, ErrorPrototypeToString,
  FunctionPrototypeToString, JSONStringify, MapPrototypeEntries, MapPrototypeGet, MapPrototypeGetSize, MapPrototypeSet, MathFloor,
  MathMax, MathMin, MathRound, MathSqrt, NumberIsNaN, NumberParseFloat, NumberParseInt,
  NumberPrototypeValueOf, ObjectGetOwnPropertyDescriptor, ObjectGetOwnPropertySymbols,
  ObjectGetPrototypeOf, ObjectIs, ObjectKeys, ObjectPrototypeHasOwnProperty,
  ObjectPrototypePropertyIsEnumerable, ObjectPrototypeToString, RegExpPrototypeExec,
  RegExpPrototypeSymbolReplace, RegExpPrototypeToString, SetPrototypeGetSize, SetPrototypeHas, SetPrototypeValues,
  StringPrototypeCharCodeAt, StringPrototypeIncludes, StringPrototypePadEnd,
  StringPrototypePadStart, StringPrototypeRepeat, StringPrototypeSlice, StringPrototypeStartsWith,
  StringPrototypeValueOf, SymbolPrototypeToString, SymbolPrototypeValueOf, SymbolToStringTag,
  TypedArrayPrototypeGetLength, TypedArrayPrototypeGetSymbolToStringTag,
} = primordials;

const kDefaultOptions = { depth: 2, breakLength: 80, compact: 3, maxArrayLength: 100, maxStringLength: 10000 };
const kIdentifier = /^[a-zA-Z_][a-zA-Z_0-9]*$/;
const kEscapes = /[\x00-\x1f\x27\x5c\x7f]/g;
const kClassSource = /^class\s*[\s{]|^class\s+[\w$]/;

function isError(value) {
  return ObjectPrototypeToString(value) === '[object Error]' || value instanceof primordials.Error;
}

function quote(string) {
  // Node prefers single quotes, then double, then backticks: whichever needs no escaping.
  let quoteChar = "'";
  if (StringPrototypeIncludes(string, "'")) {
    if (!StringPrototypeIncludes(string, '"')) quoteChar = '"';
    else if (!StringPrototypeIncludes(string, '`') && !StringPrototypeIncludes(string, '${')) quoteChar = '`';
  }
  const escaped = RegExpPrototypeSymbolReplace(kEscapes, string, (char) => {
    if (char === quoteChar) return `\\${char}`;
    if (char === "'") return char;
    const named = { '\n': '\\n', '\t': '\\t', '\r': '\\r', '\b': '\\b', '\f': '\\f', '\v': '\\v', '\\': '\\\\' }[char];
    if (named !== undefined) return named;
    return `\\x${StringPrototypePadStart(StringPrototypeCharCodeAt(char, 0).toString(16), 2, '0')}`;
  });
  return `${quoteChar}${escaped}${quoteChar}`;
}

function formatNumber(number) {
  return ObjectIs(number, -0) ? '-0' : `${number}`;
}

function formatPrimitive(value, ctx) {
  switch (typeof value) {
    case 'string': {
      const trimmed = value.length > ctx.maxStringLength;
      const shown = trimmed ? StringPrototypeSlice(value, 0, ctx.maxStringLength) : value;
      const more = value.length - ctx.maxStringLength;
      return quote(shown) + (trimmed ? `... ${more} more character${more > 1 ? 's' : ''}` : '');
    }
    case 'number': return formatNumber(value);
    case 'bigint': return `${value}n`;
    case 'symbol': return SymbolPrototypeToString(value);
    default: return `${value}`;  // boolean, undefined
  }
}

function formatKey(key) {
  if (typeof key === 'symbol') return `[${SymbolPrototypeToString(key)}]`;
  return RegExpPrototypeExec(kIdentifier, key) !== null ? key : quote(key);
}

// The name Node shows before the braces: the constructor's, or a null-prototype mark.
function constructorName(value) {
  let object = value;
  while (object !== null) {
    const descriptor = ObjectGetOwnPropertyDescriptor(object, 'constructor');
    if (descriptor !== undefined && typeof descriptor.value === 'function' && descriptor.value.name !== '') {
      return descriptor.value.name;
    }
    object = ObjectGetPrototypeOf(object);
  }
  return null;
}

function prefix(name, tag, fallback, size) {
  const sizeText = size === undefined ? '' : `(${size})`;
  if (name === null) return `[${fallback}${sizeText}: null prototype] `;
  if (tag !== '' && tag !== name) return `${name}${sizeText} [${tag}] `;
  return `${name}${sizeText} `;
}

function functionBase(fn, name) {
  const source = FunctionPrototypeToString(fn);
  if (StringPrototypeStartsWith(source, 'class') && RegExpPrototypeExec(kClassSource, source) !== null) {
    const superclass = ObjectGetPrototypeOf(fn);
    const extendsText = superclass && superclass.name ? ` extends ${superclass.name}` : '';
    return `[class ${fn.name || '(anonymous)'}${extendsText}]`;
  }
  let kind = 'Function';
  if (name === 'AsyncFunction' || name === 'GeneratorFunction' || name === 'AsyncGeneratorFunction') kind = name;
  return `[${kind}${fn.name ? `: ${fn.name}` : ' (anonymous)'}]`;
}

function formatProperty(value, key, ctx, depth) {
  const descriptor = ObjectGetOwnPropertyDescriptor(value, key);
  let shown;
  if (descriptor.value !== undefined || !('get' in descriptor || 'set' in descriptor)) {
    ctx.indentationLevel += 2;
    shown = formatValue(descriptor.value, ctx, depth + 1);
    ctx.indentationLevel -= 2;
  } else if (descriptor.get !== undefined) {
    shown = descriptor.set !== undefined ? '[Getter/Setter]' : '[Getter]';
  } else {
    shown = '[Setter]';
  }
  return `${formatKey(key)}: ${shown}`;
}

function ownEnumerableKeys(value, skipIndices) {
  const keys = [];
  for (const key of ObjectKeys(value)) {
    if (skipIndices && RegExpPrototypeExec(/^(0|[1-9][0-9]*)$/, key) !== null) continue;
    ArrayPrototypePush(keys, key);
  }
  for (const symbol of ObjectGetOwnPropertySymbols(value)) {
    if (ObjectPrototypePropertyIsEnumerable(value, symbol)) ArrayPrototypePush(keys, symbol);
  }
  return keys;
}

function formatArrayLike(value, length, ctx, depth) {
  const output = [];
  const shown = MathMin(length, ctx.maxArrayLength);
  let holes = 0;
  const flushHoles = () => {
    if (holes > 0) ArrayPrototypePush(output, `<${holes} empty item${holes > 1 ? 's' : ''}>`);
    holes = 0;
  };
  for (let i = 0; i < shown; i++) {
    if (!ObjectPrototypeHasOwnProperty(value, i)) {
      holes++;
      continue;
    }
    flushHoles();
    ctx.indentationLevel += 2;
    ArrayPrototypePush(output, formatValue(value[i], ctx, depth + 1));
    ctx.indentationLevel -= 2;
  }
  flushHoles();
  if (length > shown) {
    const more = length - shown;
    ArrayPrototypePush(output, `... ${more} more item${more > 1 ? 's' : ''}`);
  }
  return output;
}

// Arrays of more than six short entries are laid out in aligned columns, as Node does:
// aim for a roughly square block, at most 16 columns, within the break length.
function groupArrayElements(ctx, output, value) {
  let totalLength = 0;
  let maxLength = 0;
  let outputLength = output.length;
  if (StringPrototypeStartsWith(output[outputLength - 1], '... ')) outputLength--;
  const separatorSpace = 2;
  const dataLength = [];
  for (let i = 0; i < outputLength; i++) {
    const length = output[i].length;
    dataLength[i] = length;
    totalLength += length + separatorSpace;
    if (maxLength < length) maxLength = length;
  }
  const actualMax = maxLength + separatorSpace;
  if (actualMax * 3 + ctx.indentationLevel >= ctx.breakLength ||
      (totalLength / actualMax <= 5 && maxLength > 6)) {
    return output;
  }
  const averageBias = MathSqrt(actualMax - totalLength / output.length);
  const biasedMax = MathMax(actualMax - 3 - averageBias, 1);
  const columns = MathMin(
    MathRound(MathSqrt(2.5 * biasedMax * outputLength) / biasedMax),
    MathFloor((ctx.breakLength - ctx.indentationLevel) / actualMax),
    ctx.compact * 4,
    15);
  if (columns <= 1) return output;

  const maxLineLength = [];
  for (let i = 0; i < columns; i++) {
    let lineLength = 0;
    for (let j = i; j < outputLength; j += columns) lineLength = MathMax(lineLength, dataLength[j]);
    ArrayPrototypePush(maxLineLength, lineLength + separatorSpace);
  }
  let numeric = value !== undefined;
  for (let i = 0; numeric && i < outputLength; i++) {
    if (typeof value[i] !== 'number' && typeof value[i] !== 'bigint') numeric = false;
  }
  const pad = numeric ? StringPrototypePadStart : StringPrototypePadEnd;
  const grouped = [];
  for (let i = 0; i < outputLength; i += columns) {
    const max = MathMin(i + columns, outputLength);
    let line = '';
    let j = i;
    for (; j < max - 1; j++) line += pad(`${output[j]}, `, maxLineLength[j - i], ' ');
    line += numeric ? pad(output[j], maxLineLength[j - i] - separatorSpace, ' ') : output[j];
    ArrayPrototypePush(grouped, line);
  }
  for (let i = outputLength; i < output.length; i++) ArrayPrototypePush(grouped, output[i]);
  return grouped;
}

function isBelowBreakLength(ctx, output, start, base) {
  let totalLength = output.length + start;
  if (totalLength + output.length > ctx.breakLength) return false;
  for (const entry of output) {
    totalLength += entry.length;
    if (totalLength > ctx.breakLength) return false;
  }
  return base === '' || !StringPrototypeIncludes(base, '\n');
}

// Joins the entries on one line when they fit and the value is at most `compact`
// levels deep, otherwise one entry per line.
function reduceToSingleString(ctx, output, base, braces, isArrayLike, depth, value) {
  const entries = output.length;
  if (isArrayLike && entries > 6) output = groupArrayElements(ctx, output, value);
  if (ctx.currentDepth - depth < ctx.compact && entries === output.length) {
    const start = output.length + ctx.indentationLevel + braces[0].length + base.length + 10;
    if (isBelowBreakLength(ctx, output, start, base)) {
      const joined = ArrayPrototypeJoin(output, ', ');
      if (!StringPrototypeIncludes(joined, '\n')) {
        return `${base ? `${base} ` : ''}${braces[0]} ${joined} ${braces[1]}`;
      }
    }
  }
  const indentation = `\n${StringPrototypeRepeat(' ', ctx.indentationLevel)}`;
  return `${base ? `${base} ` : ''}${braces[0]}${indentation}  ${
    ArrayPrototypeJoin(output, `,${indentation}  `)}${indentation}${braces[1]}`;
}

// util.inspect.custom: objects (Buffer, URL, user classes) may format themselves.
const kInspectCustom = primordials.SymbolFor('nodejs.util.inspect.custom');

function formatValue(value, ctx, depth) {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) {
    return formatPrimitive(value, ctx);
  }
  if (ctx.customInspect !== false) {
    const custom = value[kInspectCustom];
    if (typeof custom === 'function' && custom !== inspect) {
      const { seen, circular, indentationLevel, currentDepth, ...userOptions } = ctx;
      userOptions.depth = ctx.depth - depth;
      const result = primordials.FunctionPrototypeCall(custom, value, ctx.depth - depth, userOptions, inspect);
      if (result !== value) {
        if (typeof result !== 'string') return formatValue(result, ctx, depth);
        return RegExpPrototypeSymbolReplace(/\n/g, result, `\n${StringPrototypeRepeat(' ', ctx.indentationLevel)}`);
      }
    }
  }
  const seenIndex = ArrayPrototypeIndexOf(ctx.seen, value);
  if (seenIndex !== -1) {
    let index = MapPrototypeGet(ctx.circular, value);
    if (index === undefined) {
      index = MapPrototypeGetSize(ctx.circular) + 1;
      MapPrototypeSet(ctx.circular, value, index);
    }
    return `[Circular *${index}]`;
  }
  return formatRaw(value, ctx, depth);
}

function formatRaw(value, ctx, depth) {
  const name = constructorName(value);
  let tag = value[SymbolToStringTag];
  if (typeof tag !== 'string') tag = '';
  let base = '';
  let braces = ['{', '}'];
  let isArrayLike = false;
  let keys;
  let formatEntries = () => [];

  if (ArrayIsArray(value)) {
    keys = ownEnumerableKeys(value, true);
    const prefixText = name === 'Array' && tag === '' ? '' : prefix(name, tag, 'Array', value.length);
    braces = [`${prefixText}[`, ']'];
    if (value.length === 0 && keys.length === 0) return `${braces[0]}]`;
    isArrayLike = true;
    formatEntries = () => formatArrayLike(value, value.length, ctx, depth);
  } else if (tag !== '' && ObjectPrototypeToString(value) === `[object ${tag}]` &&
             TypedArrayPrototypeGetSymbolToStringTag(value) !== undefined) {
    keys = ownEnumerableKeys(value, true);
    const length = TypedArrayPrototypeGetLength(value);
    braces = [`${prefix(name, tag, tag, length)}[`, ']'];
    if (length === 0 && keys.length === 0) return `${braces[0]}]`;
    isArrayLike = true;
    formatEntries = () => formatArrayLike(value, length, ctx, depth);
  } else if (value instanceof primordials.Map) {
    keys = ownEnumerableKeys(value, false);
    braces = [`${prefix(name, tag, 'Map', MapPrototypeGetSize(value))}{`, '}'];
    if (MapPrototypeGetSize(value) === 0 && keys.length === 0) return `${braces[0]}}`;
    formatEntries = () => {
      const output = [];
      ctx.indentationLevel += 2;
      for (const [key, entry] of MapPrototypeEntries(value)) {
        ArrayPrototypePush(output, `${formatValue(key, ctx, depth + 1)} => ${formatValue(entry, ctx, depth + 1)}`);
      }
      ctx.indentationLevel -= 2;
      return output;
    };
  } else if (value instanceof primordials.Set) {
    keys = ownEnumerableKeys(value, false);
    braces = [`${prefix(name, tag, 'Set', SetPrototypeGetSize(value))}{`, '}'];
    if (SetPrototypeGetSize(value) === 0 && keys.length === 0) return `${braces[0]}}`;
    isArrayLike = true;
    formatEntries = () => {
      const output = [];
      ctx.indentationLevel += 2;
      for (const entry of SetPrototypeValues(value)) ArrayPrototypePush(output, formatValue(entry, ctx, depth + 1));
      ctx.indentationLevel -= 2;
      return output;
    };
  } else {
    keys = ownEnumerableKeys(value, false);
    const objectTag = ObjectPrototypeToString(value);
    if (typeof value === 'function') {
      base = functionBase(value, name);
      if (keys.length === 0) return base;
    } else if (isError(value)) {
      const stack = value.stack;
      base = typeof stack === 'string' && stack !== '' ? stack : `[${ErrorPrototypeToString(value)}]`;
      keys = ArrayPrototypeFilter(keys, (key) => key !== 'stack' && key !== 'message');
      if (keys.length === 0) return base;
    } else if (objectTag === '[object Date]') {
      base = NumberIsNaN(DatePrototypeGetTime(value)) ? 'Invalid Date' : DatePrototypeToISOString(value);
      if (keys.length === 0) return base;
    } else if (objectTag === '[object RegExp]') {
      base = RegExpPrototypeToString(value);
      if (keys.length === 0) return base;
    } else if (objectTag === '[object Promise]') {
      base = `${prefix(name, tag, 'Promise')}{ <state unknown> }`;
      if (keys.length === 0) return base;
      base = StringPrototypeSlice(base, 0, -1);
    } else if (objectTag === '[object WeakMap]' || objectTag === '[object WeakSet]') {
      return `${prefix(name, tag, StringPrototypeSlice(objectTag, 8, -1))}{ <items unknown> }`;
    } else if (objectTag === '[object Number]' || objectTag === '[object String]' ||
               objectTag === '[object Boolean]' || objectTag === '[object BigInt]' ||
               objectTag === '[object Symbol]') {
      const type = StringPrototypeSlice(objectTag, 8, -1);
      const unbox = { Number: NumberPrototypeValueOf, String: StringPrototypeValueOf, Boolean: BooleanPrototypeValueOf,
        BigInt: BigIntPrototypeValueOf, Symbol: SymbolPrototypeValueOf }[type];
      base = `[${type}: ${formatPrimitive(unbox(value), ctx)}]`;
      if (type === 'String') keys = ArrayPrototypeFilter(keys, (key) => typeof key !== 'string' || RegExpPrototypeExec(/^\d+$/, key) === null);
      if (keys.length === 0) return base;
    } else if (objectTag === '[object ArrayBuffer]') {
      const bytes = new primordials.Uint8Array(value);
      const hex = [];
      for (let i = 0; i < MathMin(bytes.length, 50); i++) {
        ArrayPrototypePush(hex, StringPrototypePadStart(bytes[i].toString(16), 2, '0'));
      }
      const more = bytes.length > 50 ? ` ... ${bytes.length - 50} more byte${bytes.length - 50 > 1 ? 's' : ''}` : '';
      braces[0] = `${prefix(name, tag, 'ArrayBuffer')}{`;
      formatEntries = () => [`[Uint8Contents]: <${ArrayPrototypeJoin(hex, ' ')}${more}>`, `byteLength: ${bytes.length}`];
    } else if (name === 'Object' && tag === '') {
      if (keys.length === 0) return '{}';
    } else {
      braces[0] = `${prefix(name, tag, 'Object')}{`;
      if (keys.length === 0) return `${braces[0]}}`;
    }
  }

  if (depth > ctx.depth) {
    return `[${name === null ? 'Object: null prototype' : (name || tag || 'Object')}]`;
  }

  ArrayPrototypePush(ctx.seen, value);
  ctx.currentDepth = depth;
  let output;
  try {
    output = formatEntries();
    for (const key of keys) ArrayPrototypePush(output, formatProperty(value, key, ctx, depth));
  } finally {
    ArrayPrototypePop(ctx.seen);
  }

  const reference = MapPrototypeGet(ctx.circular, value);
  if (reference !== undefined) {
    const marker = `<ref *${reference}>`;
    if (base === '') braces[0] = `${marker} ${braces[0]}`;
    else base = `${marker} ${base}`;
  }
  return reduceToSingleString(ctx, output, base, braces, isArrayLike, depth, value);
}

function inspect(value, options) {
  const ctx = {
    ...kDefaultOptions,
    ...options,
    seen: [],
    circular: new primordials.Map(),
    indentationLevel: 0,
    currentDepth: 0,
  };
  if (ctx.depth === null) ctx.depth = Infinity;
  return formatValue(value, ctx, 0);
}

// Names of the constructors V8 provides, taken before any user code runs.
const builtInConstructors = new primordials.Set(ArrayPrototypeFilter(
  primordials.ObjectGetOwnPropertyNames(globalThis), (name) => RegExpPrototypeExec(/^[A-Z][a-zA-Z0-9]+$/, name) !== null));

// %s prints objects with a toString of their own making (e.g. a URL) through it and
// everything else through inspect, as Node does: is the nearest toString a built-in's?
function hasBuiltInToString(value) {
  if (typeof value.toString !== 'function') return true;
  if (ObjectPrototypeHasOwnProperty(value, 'toString')) return false;
  let holder = value;
  do {
    holder = ObjectGetPrototypeOf(holder);
  } while (!ObjectPrototypeHasOwnProperty(holder, 'toString'));
  const descriptor = ObjectGetOwnPropertyDescriptor(holder, 'constructor');
  return descriptor !== undefined && typeof descriptor.value === 'function' &&
    SetPrototypeHas(builtInConstructors, descriptor.value.name);
}

function formatArgument(directive, argument) {
  switch (directive) {
    case 's':
      if (typeof argument === 'bigint') return `${argument}n`;
      if (typeof argument === 'symbol') return SymbolPrototypeToString(argument);
      if (typeof argument === 'number') return formatNumber(argument);
      if (typeof argument === 'object' && argument !== null && hasBuiltInToString(argument)) {
        return inspect(argument, { depth: 0 });
      }
      return `${argument}`;
    case 'd':
      if (typeof argument === 'bigint') return `${argument}n`;
      if (typeof argument === 'symbol' || (typeof argument === 'object' && argument !== null)) return 'NaN';
      return formatNumber(primordials.Number(argument));
    case 'i':
      if (typeof argument === 'bigint') return `${argument}n`;
      if (typeof argument === 'symbol') return 'NaN';
      return formatNumber(NumberParseInt(argument));
    case 'f':
      if (typeof argument === 'symbol') return 'NaN';
      return formatNumber(NumberParseFloat(argument));
    case 'j':
      try {
        return JSONStringify(argument);
      } catch (error) {
        if (error instanceof primordials.TypeError && StringPrototypeIncludes(`${error.message}`, 'circular')) {
          return '[Circular]';
        }
        throw error;
      }
    case 'o':
      return inspect(argument, { depth: 4 });
    case 'O':
      return inspect(argument);
    case 'c':
      return '';
  }
  return undefined;
}

// util.format: printf-like directives in a leading string, then the remaining
// arguments separated by spaces (strings as they are, everything else inspected).
function format(...args) {
  let result = '';
  let next = 0;
  if (typeof args[0] === 'string') {
    const template = args[0];
    next = 1;
    let copiedUpTo = 0;
    for (let i = 0; i < template.length - 1; i++) {
      if (template[i] !== '%') continue;
      const directive = template[i + 1];
      if (directive === '%') {
        result += StringPrototypeSlice(template, copiedUpTo, i) + '%';
        copiedUpTo = i + 2;
        i++;
        continue;
      }
      if (next >= args.length || !StringPrototypeIncludes('sdifjoOc', directive)) continue;
      result += StringPrototypeSlice(template, copiedUpTo, i) + formatArgument(directive, args[next++]);
      copiedUpTo = i + 2;
      i++;
    }
    result += StringPrototypeSlice(template, copiedUpTo);
  }
  for (; next < args.length; next++) {
    const argument = args[next];
    if (result !== '' || next > 0) result += ' ';
    result += typeof argument === 'string' ? argument : inspect(argument);
  }
  return result;
}

inspect.custom = kInspectCustom;
internals.inspect = inspect;
internals.format = format;
