// The harness self-test expects '3' here; the runtime prints '2', so run_case.sh must fail.
console.log(1 + 1);
