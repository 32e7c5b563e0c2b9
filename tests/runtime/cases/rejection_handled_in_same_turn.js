// A handler attached before the microtask queue drains means the rejection is handled.
const promise = Promise.reject(new Error('late'));
Promise.resolve().then(() => promise.catch((error) => console.log('handled', error.message)));
