process.argv.forEach((arg, index) => console.log(index, arg));
console.log('execPath', process.execPath === process.argv[0]);
console.log('platform', process.platform);
