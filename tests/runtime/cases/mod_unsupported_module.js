// Node modules Kiln does not provide fail clearly when required.
for (const name of ['child_process', 'node:cluster', 'worker_threads']) {
  try {
    require(name);
  } catch (error) {
    console.log(error.code, error.message);
  }
}
