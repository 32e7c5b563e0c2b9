// An unref'd timer does not keep the process alive; ref() makes it count again.
const forgotten = setTimeout(() => console.log('unref timer never fires'), 50);
forgotten.unref();
console.log('hasRef after unref:', forgotten.hasRef());
setInterval(() => console.log('unref interval never fires'), 60).unref();
const revived = setTimeout(() => console.log('ref again: fires'), 30);
revived.unref();
revived.ref();
console.log('hasRef after ref:', revived.hasRef());
const immediate = setImmediate(() => console.log('unref immediate still runs while the loop is alive'));
immediate.unref();
console.log('immediate hasRef:', immediate.hasRef());
