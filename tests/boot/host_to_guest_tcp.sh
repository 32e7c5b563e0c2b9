#!/usr/bin/env bash
# Boot test: a TCP connection from the host into the VM. Boots IMAGE (a program that
# listens on guest port 8080 and answers one HTTP request) with `kiln run -p`, connects
# to the forwarded port on 127.0.0.1, and checks the answer and the guest's exit status.
#
#   host_to_guest_tcp.sh KILN IMAGE
set -uo pipefail

kiln=${1:?usage: host_to_guest_tcp.sh KILN IMAGE}
image=${2:?usage: host_to_guest_tcp.sh KILN IMAGE}
work=$(mktemp -d)
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# shellcheck source=forwarded_vm.sh
. "$(dirname "$0")/forwarded_vm.sh"
if ! start_forwarded_vm "$kiln" 8080 '^sockets: listening on 8080' "$work/console" "$image"; then
  cat "$work/console"
  echo "FAIL: the guest never listened"
  exit 1
fi

exec 3<>"/dev/tcp/127.0.0.1/$port" || { echo "FAIL: cannot connect to 127.0.0.1:$port"; exit 1; }
printf 'GET /from-the-host HTTP/1.0\r\nHost: kiln\r\n\r\n' >&3
response=$(timeout 30 cat <&3)
exec 3<&-
echo "--- response"
echo "$response"

status=0
wait "$pid" || status=$?
pid=""
cat "$work/console"
fail=0
echo "$response" | grep -q '^HTTP/1.0 200 OK' || { echo "FAIL: no 200 response"; fail=1; }
echo "$response" | grep -q '^hello from the kiln kernel' || { echo "FAIL: wrong body"; fail=1; }
grep -q '^sockets: request line: GET /from-the-host HTTP/1.0' "$work/console" || { echo "FAIL: guest did not see the request"; fail=1; }
[ "$status" -eq 0 ] || { echo "FAIL: kiln run exited $status"; fail=1; }
exit $fail
