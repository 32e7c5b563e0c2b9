'use strict';

// Fetches each URL given as an argument (else FETCH_URL, else http://10.0.2.2:8000/: on
// QEMU's user network, which `kiln run` uses by default, 10.0.2.2 is the host's own
// 127.0.0.1) and prints the status, the content type and the body; a JSON body is
// parsed and printed back as one line. Exits 1 when a fetch fails or a response is not
// 2xx, saying why (ECONNREFUSED when nothing listens on the port).
//
//   python3 -m http.server --bind 127.0.0.1 8000      # on the host
//   kiln run examples/fetch-client -- http://10.0.2.2:8000/

const urls = process.argv.slice(2);
if (urls.length === 0) urls.push(process.env.FETCH_URL || 'http://10.0.2.2:8000/');

async function show(url) {
  const response = await fetch(url);
  const type = response.headers.get('content-type') || '';
  const body = await response.text();
  console.log(`GET ${url}: ${response.status} ${response.statusText}`);
  console.log(`content-type: ${type}`);
  console.log(`--- body (${Buffer.byteLength(body)} bytes)`);
  process.stdout.write(body);
  console.log(`${body.endsWith('\n') || body === '' ? '' : '\n'}--- end of body`);
  if (type.startsWith('application/json')) console.log(`json: ${JSON.stringify(JSON.parse(body))}`);
  return response.ok;
}

async function main() {
  let failed = 0;
  for (const url of urls) {
    try {
      if (!(await show(url))) failed++;
    } catch (err) {
      // fetch rejects with TypeError('fetch failed'); the system error is its cause.
      const cause = err.cause || err;
      console.error(`fetch-client: GET ${url} failed: ${cause.code || cause.name}: ${cause.message}`);
      failed++;
    }
  }
  process.exitCode = failed ? 1 : 0;
}

main();
