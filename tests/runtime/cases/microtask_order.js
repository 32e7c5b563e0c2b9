console.log('sync 1');
Promise.resolve().then(() => console.log('micro 1')).then(() => console.log('micro 3'));
Promise.resolve().then(() => console.log('micro 2'));
(async () => { await null; console.log('async'); })();
console.log('sync 2');
