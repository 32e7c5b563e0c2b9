// process.exit() without an argument exits with process.exitCode.
process.exitCode = 7;
process.exit();
