#!/usr/bin/env bash
# Boot test: `kiln run --net tap:IFNAME --ip ...` puts the VM on a host tap device with a
# real address. In a network namespace of its own (nothing outside it is touched), the
# test makes a tap with 192.168.77.1/24, boots APP (an HTTP server on port 8080) on it as
# 192.168.77.2, and from the namespace: ping gets 3 echo replies from the guest's own
# stack (and 2 more of 4000 bytes, fragmented), the guest answered ARP with the MAC kiln
# chose for the tap, and curl gets the app's answer from 192.168.77.2:8080. Needs root
# (or CAP_NET_ADMIN) and /dev/net/tun: without them the test fails, it never passes
# silently.
#
#   tap_network.sh KILN APP
set -uo pipefail

kiln=${1:?usage: tap_network.sh KILN APP}
app=${2:?usage: tap_network.sh KILN APP}
ns=kiln-tap-test-$$
tap=kiln0
guest=192.168.77.2
host=192.168.77.1

[ "$(id -u)" -eq 0 ] || { echo "FAIL: this test needs root to make a network namespace and a tap (running as $(id -un))"; exit 1; }
[ -c /dev/net/tun ] || { echo "FAIL: /dev/net/tun is missing (modprobe tun)"; exit 1; }
for tool in ip ping curl; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed (run scripts/setup)"; exit 1; }
done

work=$(mktemp -d)
export KILN_CACHE_DIR=$work/cache
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  ip netns del "$ns" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

in_ns() { ip netns exec "$ns" "$@"; }
ip netns add "$ns" || { echo "FAIL: cannot create network namespace $ns"; exit 1; }
if ! { in_ns ip link set lo up && in_ns ip tuntap add dev "$tap" mode tap \
    && in_ns ip addr add "$host/24" dev "$tap" && in_ns ip link set "$tap" up; }; then
  echo "FAIL: cannot set up tap $tap in $ns"; exit 1
fi

# nsenter execs kiln in the namespace (`ip netns exec` forks: $! would be ip, and killing
# it would leave kiln and its QEMU running).
nsenter --net="/run/netns/$ns" -- "$kiln" run --net "tap:$tap" --ip "$guest/24,$host" "$app" >"$work/console" 2>&1 &
pid=$!
for _ in $(seq 1800); do # 180 s: an image build and a TCG boot on a loaded machine
  grep -q 'listening on' "$work/console" && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
if ! grep -q 'listening on' "$work/console"; then
  cat "$work/console"; echo "FAIL: the app never listened"; exit 1
fi

fail=0
echo "--- ping -c 3 -W 5 $guest (in $ns)"
in_ns ping -c 3 -W 5 "$guest" | tee "$work/ping"
grep -q '^3 packets transmitted, 3 received' "$work/ping" || { echo "FAIL: ping did not get 3 replies"; fail=1; }
grep -Eq "^64 bytes from $guest: icmp_seq=1 ttl=[0-9]+" "$work/ping" || { echo "FAIL: no reply to the first ping"; fail=1; }
# 4008-byte echoes: three IPv4 fragments each way (reassembly and fragmentation in the guest).
echo "--- ping -c 2 -W 5 -s 4000 $guest (in $ns)"
in_ns ping -c 2 -W 5 -s 4000 "$guest" | tee "$work/ping_large"
grep -q '^2 packets transmitted, 2 received' "$work/ping_large" || { echo "FAIL: no replies to 4000-byte pings"; fail=1; }
grep -q "^4008 bytes from $guest: icmp_seq=1 " "$work/ping_large" || { echo "FAIL: the 4000-byte reply is not whole"; fail=1; }

echo "--- ip neigh show $guest (in $ns)"
in_ns ip neigh show "$guest" | tee "$work/neigh"
mac=$(sed -n "s/^kiln: network tap $tap, guest MAC \(52:54:00:[0-9a-f:]*\)$/\1/p" "$work/console")
[ -n "$mac" ] || { echo "FAIL: kiln run did not report the tap and the guest's MAC"; fail=1; }
grep -q "lladdr $mac " "$work/neigh" || { echo "FAIL: the guest does not answer ARP with the MAC kiln chose ($mac)"; fail=1; }

echo "--- GET http://$guest:8080/ (in $ns)"
in_ns curl -sS -i --max-time 60 "http://$guest:8080/" >"$work/response"
cat "$work/response"
grep -q '^HTTP/1.1 200 OK' "$work/response" || { echo "FAIL: no 200 from the app over the tap"; fail=1; }
grep -q '^Hello from Kiln' "$work/response" || { echo "FAIL: the app's body did not arrive"; fail=1; }

kill -TERM "$pid"
wait "$pid"
status=$?
pid=""
cat "$work/console"
grep -q "^kiln: guest address $guest/24,$host (static)$" "$work/console" || { echo "FAIL: kiln run did not report the address"; fail=1; }
[ "$status" -eq 143 ] || { echo "FAIL: kiln run should exit 143 after SIGTERM, got $status"; fail=1; }
[ "$fail" -eq 0 ] && echo "PASS"
exit $fail
