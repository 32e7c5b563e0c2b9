Promise.reject(new Error('rejected'));
console.log('sync code still runs');
