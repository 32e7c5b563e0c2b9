// WHATWG URL parsing and serialization, setters and URLSearchParams, against a table
// of inputs (special and non-special schemes, IPv4/IPv6, IDNA, file URLs, failures).
const cases = [
  ['http://example.com/a/../b?x=1#h'], ['HTTP://EXAMPLE.com:80/'], ['https://user:pa ss@host:8443/p a t h?q=a b#f g'],
  ['../c/d', 'http://a/b/e/f'], ['//x.org/p', 'https://base/'], ['?q', 'http://a/b/c'], ['#frag', 'http://a/b?q'],
  ['file:///etc/passwd'], ['file://localhost/x'], ['file:/c:/windows'], ['mailto:someone@example.com'],
  ['javascript:alert(1)'], ['http://[::1]:3000/'], ['http://[2001:db8:0:0:1:0:0:1]/'], ['http://192.168.0.1./'],
  ['http://0x7f.1/'], ['http://münchen.de/'], ['ws://h/x'], ['wss://h:443/'], ['http://a b/'], ['not a url'],
  ['sc://host/path'], ['sc:opaque path?x#y'], ['http://h/%2e%2E/x'], ['http://h\\x\\y'], ['  http://trim.me/  '],
  ['http://h/\u00e9?\u00e9#\u00e9'], ['blob:https://a.b/uuid'], ['http://h:65536/'], ['data:text/plain,hi'],
  ['/abs', 'file:///a/b'], ['http://999999999/'], ['http://1.2.3.4.5/'], ['https://h/?a=1&b=2'],
];
for (const [input, base] of cases) {
  try {
    const u = new URL(input, base);
    console.log(JSON.stringify([input, base]), u.href, u.origin, u.host, u.pathname, u.search, u.hash);
  } catch (e) { console.log(JSON.stringify([input, base]), e.code, e.message); }
}
const u = new URL('https://a.b/c?x=1&y=2&x=3');
u.searchParams.append('z', 'a b&c');
u.searchParams.delete('y');
console.log(u.href, u.searchParams.getAll('x'), [...u.searchParams.keys()]);
u.pathname = '/new path'; u.hash = 'h'; u.port = '8080'; u.hostname = 'other.org'; u.protocol = 'http';
console.log(u.href);
u.search = '?q=1'; console.log(u.searchParams.get('q'), u.href);
console.log(new URLSearchParams({a: 1, b: 'x y'}).toString(), new URLSearchParams([['a', '1'], ['a', '2']]).toString());
const sp = new URLSearchParams('b=2&a=1&b=1'); sp.sort(); console.log(sp.toString(), sp.size);
console.log(new URL('http://x.com/?a=%zz+b').searchParams.get('a'));
console.log(u);
console.log(new URLSearchParams('a=1&b=2'));
console.log(JSON.stringify({ u: new URL('http://j.son/') }), String(new URL('http://s.tr/')));
console.log(URL.canParse('x:'), URL.canParse('nope'));
