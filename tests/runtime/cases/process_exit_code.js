// The program ends normally; its status is process.exitCode.
process.exitCode = 4;
console.log(process.exitCode);
