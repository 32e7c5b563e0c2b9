// Timers due at the same time run in the order they were started. The margins are wide:
// a timeout counts from when it is set (as in Node), so a stall of the host between two
// setTimeout calls shifts the later deadline.
const log = [];
for (let i = 0; i < 5; i++) setTimeout(() => log.push(`a${i}`), 50);
setTimeout(() => log.push('short'), 2);
for (let i = 0; i < 3; i++) setTimeout(() => log.push(`b${i}`), 50);
setTimeout(() => log.push('long'), 100);
setTimeout(() => console.log(log.join(' ')), 150);
