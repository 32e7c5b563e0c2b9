'use strict';

// Prints what must be fresh in every run of kiln-runtime, one `name=value` per line;
// fresh_state_per_run.sh runs it several times and checks the values against what it
// started each run with. With the startup snapshot, a value the library captured while
// it was built would come out the same in every run (and wrong).

const lines = [];
function print(name, value) {
  lines.push(`${name}=${value}`);
}

print('pid', process.pid);
print('argv2', process.argv[2]);
print('execPath', process.execPath);
print('env', process.env.KILN_PROBE);
print('cwd', process.cwd());
print('random', `${Math.random()} ${Math.random()}`);
// Minutes east of UTC are negative in getTimezoneOffset: Tokyo is -540.
print('tzOffset', new Date(0).getTimezoneOffset());
print('dateNow', Date.now());
print('timeOrigin', Math.floor(performance.timeOrigin));
print('performanceNow', Math.ceil(performance.now()));
print('uptimeMs', Math.ceil(process.uptime() * 1000));
process.env.KILN_PROBE_SET = 5;
print('envSet', `${typeof process.env.KILN_PROBE_SET}:${process.env.KILN_PROBE_SET}`);

// The loop handles and native fields handed out at run start must work: a timer, an
// immediate, a tick, and the exit status through process.exitCode.
let order = '';
setImmediate(() => {
  order += 'immediate,';
  setTimeout(() => {
    order += 'timeout';
    print('order', order);
    console.log(lines.join('\n'));
    process.exitCode = 3;
  }, 1);
});
process.nextTick(() => { order += 'tick,'; });
