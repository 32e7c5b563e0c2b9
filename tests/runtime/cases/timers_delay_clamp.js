// Node's clamp: delays below 1, above 2^31 - 1, or not numbers become 1 ms.
const order = [];
setTimeout(() => order.push('300ms'), 300);
setTimeout(() => order.push('NaN'), NaN);
setTimeout(() => order.push('negative'), -10);
setTimeout(() => order.push('string "150"'), '150');
setTimeout(() => order.push('undefined'));
setTimeout(() => order.push('too big'), 2 ** 31);
setTimeout(() => console.log(order.join(', ')), 500);
