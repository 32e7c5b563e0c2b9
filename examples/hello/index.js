console.log('Hello from Kiln!');
console.log(`1 + 1 = ${1 + 1}`);
