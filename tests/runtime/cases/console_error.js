console.error('to stderr', 42);
console.log('to stdout');
console.warn('warned');
