console.log(process.env.KILN_TEST_VALUE);
console.log(typeof process.env.PATH);
// Node stores every env value as a string.
process.env.KILN_NUMBER = 42;
console.log(typeof process.env.KILN_NUMBER, process.env.KILN_NUMBER);
console.log(process.env.KILN_NOT_SET);
