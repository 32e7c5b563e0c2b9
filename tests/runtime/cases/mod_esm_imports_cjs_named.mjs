// ES modules importing CommonJS: `default` is module.exports; named exports are the
// names the CommonJS lexer finds (as Node's cjs-module-lexer), with live values
// taken after the CommonJS module ran, in import order.
import assignments, * as assignmentsNs from '../fixtures/cjs_shapes/assignments.cjs';
import literal, * as literalNs from '../fixtures/cjs_shapes/object_literal.cjs';
import * as whole from '../fixtures/cjs_shapes/reexport_whole.cjs';
import greet, { version } from '../fixtures/cjs_shapes/function_export.cjs';
import flagged, * as flaggedNs from '../fixtures/cjs_shapes/esmodule_flag.cjs';

console.log(Object.keys(assignmentsNs).sort());
console.log(assignments === assignmentsNs.default, assignmentsNs.plain, assignmentsNs.defined);
console.log(Object.keys(literalNs).sort(), literal.alpha);
console.log(Object.keys(whole).sort());
console.log(greet('kiln'), version);
console.log(Object.keys(flaggedNs).sort(), flagged.default, flaggedNs.named);
