// A top-level await nothing can settle ends the program with status 13, as in Node.
console.log('waiting forever');
await new Promise(() => {});
