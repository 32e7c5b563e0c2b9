// Timers due at the same time run in the order they were started.
const log = [];
for (let i = 0; i < 5; i++) setTimeout(() => log.push(`a${i}`), 10);
setTimeout(() => log.push('short'), 2);
for (let i = 0; i < 3; i++) setTimeout(() => log.push(`b${i}`), 10);
setTimeout(() => log.push('long'), 20);
setTimeout(() => console.log(log.join(' ')), 30);
