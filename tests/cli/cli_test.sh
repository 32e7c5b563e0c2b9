#!/usr/bin/env bash
# One scenario of the `kiln` command, end to end (tests/cli/CMakeLists.txt registers
# them). Every scenario works in a fresh temporary folder with its own KILN_CACHE_DIR,
# never writes into the source tree, and fails (never skips) when a tool it needs is
# missing.
#
#   cli_test.sh KILN SCENARIO [arguments...]
#
# Scenarios:
#   inspect APP [--has PATH]... [--lacks PATH]... [--left-out PATH]...
#       kiln build APP; kiln inspect lists every --has path and no --lacks path, its
#       "left out" section names every --left-out path; dump.erofs reads the image.
#   boot APP      kiln build APP, boot it, and compare the console with what node
#                 prints running the image's own /app (extracted with fsck.erofs).
#   reproducible APP   three builds (two outputs, one copy of the app elsewhere) are
#                 byte-identical.
#   cache APP     a second build reuses the first; an edit rebuilds.
#   error APP REGEX    kiln build and kiln run fail with a message matching REGEX and
#                 change nothing (the app's copy and the cache are as before).
#   npm-pack APP [--kiln-excludes PATH]...   the app's own files are npm pack's list
#                 (minus what .kilnignore adds).
#   new           kiln new, dev, dev test.js, build, run, run --env/-- args.
#   npm-packages PKG@VERSION...   npm install real packages (pinned) into a temp app
#                 with an index.js that uses them, then `boot` it.
#   devices APP   kiln run with -p and --disk (one created, one read-only) still boots.
#   sigint APP    Ctrl-C (SIGINT) on kiln run shuts the VM down: exit 130, QEMU gone.
#   run-flag-errors APP   network flags that make no sense together or are malformed:
#                 kiln run exits 2 with a message saying why, builds and boots nothing.
set -uo pipefail

kiln=$(readlink -f "${1:?usage: cli_test.sh KILN SCENARIO [arguments...]}")
scenario=${2:?usage: cli_test.sh KILN SCENARIO [arguments...]}
shift 2

work=$(mktemp -d "${TMPDIR:-/tmp}/kiln-cli-test-XXXXXX")
trap 'rm -rf "$work"' EXIT
export KILN_CACHE_DIR=$work/cache
boot_limit=${KILN_BOOT_TIMEOUT:-90}
failures=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
need() { command -v "$1" >/dev/null || { echo "FAIL: $1 is not installed (run scripts/setup)"; exit 1; }; }
finish() {
  if [ "$failures" -eq 0 ]; then echo "PASS: $scenario"; exit 0; fi
  echo "$failures check(s) failed"; exit 1
}

# Builds $1 into $2 (an image folder), failing the scenario when the build fails.
build() {
  if ! "$kiln" build "$1" -o "$2" >"$work/build.out" 2>&1; then
    cat "$work/build.out"; fail "kiln build $1 failed"; finish
  fi
  cat "$work/build.out"
}

# The console of a VM run without kiln's own lines, and the status.
run_vm() { # image-or-app output-file [kiln run options...]
  local target=$1 out=$2
  shift 2
  timeout --kill-after=5 "$boot_limit" "$kiln" run "$@" "$target" >"$out.raw" 2>"$out.err"
  local code=$?
  grep -v -E '^kiln: (exit status [0-9]+|accelerator .*)$' "$out.raw" >"$out"
  cat "$out.raw" "$out.err"
  return $code
}

# node on the image's own /app: what the packaged app does under Node.
node_on_image() { # image-folder output-file
  need node
  need fsck.erofs
  local tree=$work/tree
  rm -rf "$tree"
  fsck.erofs --extract="$tree" "$1/root.erofs" >/dev/null 2>&1 || { fail "fsck.erofs cannot extract $1"; return 1; }
  local entry
  entry=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["argv"][1])' "$tree/kiln/manifest.json")
  (cd "$tree/app" && env -i PATH="$PATH" NODE_ENV=production node "${entry#/app/}" >"$2" 2>&1)
}

compare_with_node() { # image-folder
  local image=$1
  node_on_image "$image" "$work/node.out"
  local node_status=$?
  run_vm "$image" "$work/vm.out"
  local vm_status=$?
  echo "--- node on the image's /app (status $node_status):"; cat "$work/node.out"
  if ! diff -u "$work/node.out" "$work/vm.out"; then fail "the VM's output differs from node's"; fi
  [ "$vm_status" -eq "$node_status" ] || fail "kiln run exited $vm_status, node $node_status"
  [ -s "$work/node.out" ] || fail "the app printed nothing"
}

case "$scenario" in
inspect)
  app=$1; shift
  build "$app" "$work/out"
  "$kiln" inspect "$work/out" >"$work/inspect.out" || fail "kiln inspect failed"
  cat "$work/inspect.out"
  while [ $# -gt 0 ]; do
    case "$1" in
      --has) grep -q -E "^  [0-7]{4} +[0-9]+  $2( -> .*)?\$" "$work/inspect.out" || fail "the image lacks $2"; shift 2 ;;
      --lacks) ! grep -q -E "  $2( -> .*)?\$" "$work/inspect.out" || fail "the image holds $2"; shift 2 ;;
      --left-out) sed -n '/^left out/,$p' "$work/inspect.out" | grep -q -F "  $2 " || fail "left out does not name $2"; shift 2 ;;
      *) echo "cli_test.sh: unknown inspect check $1"; exit 2 ;;
    esac
  done
  need dump.erofs
  dump.erofs --path=/app/package.json "$work/out/root.erofs" | grep -q "Size:" || fail "dump.erofs cannot read /app/package.json"
  ;;
boot)
  build "$1" "$work/out"
  compare_with_node "$work/out"
  ;;
reproducible)
  app=$1
  build "$app" "$work/one"
  build "$app" "$work/two"
  cp -a "$app" "$work/copy"
  touch "$work/copy"/* # other times, other place: still the same image
  build "$work/copy" "$work/three"
  for f in root.erofs manifest.json kernel; do
    cmp "$work/one/$f" "$work/two/$f" || fail "$f differs between two builds"
    cmp "$work/one/$f" "$work/three/$f" || fail "$f differs for a copy of the app elsewhere"
  done
  ;;
cache)
  cp -a "$1" "$work/app"
  start=$(date +%s%N)
  "$kiln" build "$work/app" | tee "$work/first" | grep -q " built " || fail "first build did not build"
  cold=$(( ($(date +%s%N) - start) / 1000000 ))
  start=$(date +%s%N)
  "$kiln" build "$work/app" | tee "$work/second" | grep -q " is up to date " || fail "second build did not reuse the image"
  warm=$(( ($(date +%s%N) - start) / 1000000 ))
  cat "$work/first" "$work/second"
  echo "cold build ${cold} ms, up-to-date check ${warm} ms"
  [ "$warm" -lt 1000 ] || fail "the up-to-date check took ${warm} ms"
  entry=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["guest"]["argv"][1][5:])' "$work/app"/dist/*.kiln/manifest.json)
  echo "// edited" >>"$work/app/$entry"
  "$kiln" build "$work/app" | grep -q " built " || fail "an edited entry did not rebuild"
  echo "junk" >"$work/app/new-file.txt"
  "$kiln" build "$work/app" | grep -q " built " || fail "a new file did not rebuild"
  "$kiln" build "$work/app" | grep -q " is up to date " || fail "third build did not reuse the image"
  ;;
error)
  app=$1 regex=$2
  cp -a "$app" "$work/app"
  mkdir -p "$KILN_CACHE_DIR"
  snapshot() { (cd "$work" && find app cache -printf '%p %s %T@\n' | sort); }
  before=$(snapshot)
  for command in build run; do
    timeout 60 "$kiln" $command "$work/app" >"$work/out" 2>&1
    code=$?
    cat "$work/out"
    [ "$code" -ne 0 ] || fail "kiln $command succeeded"
    [ "$code" -ne 124 ] || fail "kiln $command timed out"
    grep -q -E -- "$regex" "$work/out" || fail "kiln $command's message does not match /$regex/"
    ! grep -q "accelerator" "$work/out" || fail "kiln $command started a VM"
    [ "$(snapshot)" = "$before" ] || { fail "kiln $command changed files"; diff <(echo "$before") <(snapshot); }
  done
  ;;
npm-pack)
  need npm
  app=$1; shift
  excludes=()
  while [ $# -gt 0 ]; do
    case "$1" in --kiln-excludes) excludes+=("$2"); shift 2 ;; *) echo "unknown npm-pack option $1"; exit 2 ;; esac
  done
  build "$app" "$work/out"
  "$kiln" inspect --files-only "$work/out" | sed -n -E 's|^  [0-7]{4} +[0-9]+  /app/||p' | grep -v '^node_modules/' \
    | sed 's/ -> .*//' | sort >"$work/kiln.list"
  (cd "$app" && npm pack --dry-run --json 2>/dev/null) \
    | python3 -c 'import json,sys; [print(f["path"]) for f in json.load(sys.stdin)[0]["files"]]' | sort >"$work/npm.all"
  [ -s "$work/npm.all" ] || fail "npm pack --dry-run listed nothing"
  cp "$work/npm.all" "$work/npm.list"
  for e in "${excludes[@]}"; do grep -v -x -F "$e" "$work/npm.list" >"$work/npm.tmp"; mv "$work/npm.tmp" "$work/npm.list"; done
  echo "--- npm pack (minus .kilnignore's):"; cat "$work/npm.list"
  diff -u "$work/npm.list" "$work/kiln.list" || fail "the app's files differ from npm pack's"
  ;;
new)
  cd "$work" || exit 1
  "$kiln" new my-app || fail "kiln new failed"
  "$kiln" new my-app 2>"$work/again" && fail "kiln new over an existing app succeeded"
  grep -q "already exists" "$work/again" || fail "kiln new over an existing app does not say why"
  cd my-app || exit 1
  "$kiln" dev >"$work/dev.out" 2>&1 || fail "kiln dev failed"
  cat "$work/dev.out"
  grep -q -x "Hello from Kiln!" "$work/dev.out" || fail "kiln dev did not greet"
  grep -q -x "running with NODE_ENV=development" "$work/dev.out" || fail "kiln dev: NODE_ENV is not development"
  "$kiln" dev test.js || fail "kiln dev test.js failed"
  sed -i 's/greeting || .Hello./greeting || "Howdy"/' greet.js
  "$kiln" dev test.js >/dev/null && fail "kiln dev test.js passed a broken greet.js"
  git checkout -q -- greet.js 2>/dev/null || sed -i "s/greeting || \"Howdy\"/greeting || 'Hello'/" greet.js
  "$kiln" build | grep -q "dist/my-app.kiln built" || fail "kiln build did not write dist/my-app.kiln"
  run_vm . "$work/run.out"; [ $? -eq 0 ] || fail "kiln run failed"
  printf 'Hello from Kiln!\nrunning with NODE_ENV=production\n' | diff -u - "$work/run.out" || fail "kiln run printed something else"
  [ ! -d "$KILN_CACHE_DIR/apps" ] || fail "kiln run rebuilt although dist/my-app.kiln was up to date"
  run_vm . "$work/env.out" --env GREETING=Hi -- extra; [ $? -eq 0 ] || fail "kiln run --env failed"
  grep -q -x "Hi from Kiln!" "$work/env.out" || fail "kiln run --env GREETING=Hi did not reach the app"
  run_vm dist/my-app.kiln "$work/artifact.out" --env GREETING=Yo; [ $? -eq 0 ] || fail "kiln run on the image folder failed"
  grep -q -x "Yo from Kiln!" "$work/artifact.out" || fail "kiln run IMAGE --env did not reach the app"
  ;;
npm-packages)
  need npm
  mkdir -p "$work/app"
  deps=$(printf '%s\n' "$@" | python3 -c 'import json,sys; print(json.dumps(dict(l.strip().rsplit("@",1) for l in sys.stdin if l.strip())))')
  cat >"$work/app/package.json" <<JSON
{ "name": "npm-packages", "version": "1.0.0", "main": "index.js", "dependencies": $deps,
  "devDependencies": { "is-number": "7.0.0" } }
JSON
  cp "$(dirname "$0")/npm_packages_index.js" "$work/app/index.js"
  (cd "$work/app" && npm install --no-audit --no-fund --ignore-scripts --loglevel=error) || { fail "npm install failed (is the registry reachable?)"; finish; }
  build "$work/app" "$work/out"
  "$kiln" inspect "$work/out" | sed -n '/^packages/,/^files/p'
  "$kiln" inspect "$work/out" | grep -q "node_modules/is-number/ *devDependency" || fail "is-number (devDependency) is not listed as left out"
  compare_with_node "$work/out"
  ;;
devices)
  port=$((20000 + RANDOM % 20000))
  truncate -s 64K "$work/seed.img"
  run_vm "$1" "$work/run.out" -p "$port:8080" --disk "$work/data.img:1M" --disk "$work/seed.img,ro"
  code=$?
  [ "$code" -eq 0 ] || fail "kiln run with devices exited $code"
  [ "$(stat -c %s "$work/data.img" 2>/dev/null)" = 1048576 ] || fail "--disk data.img:1M did not create a 1 MiB file"
  grep -q "port 127.0.0.1:$port -> guest 8080" "$work/run.out.err" || fail "the port forward is not reported"
  [ -s "$work/run.out" ] || fail "the app printed nothing"
  ;;
sigint)
  build "$1" "$work/out"
  "$kiln" run "$work/out" >"$work/run.out" 2>&1 &
  pid=$!
  for _ in $(seq 1 "$boot_limit"); do grep -q "tick" "$work/run.out" 2>/dev/null && break; sleep 1; done
  grep -q "tick" "$work/run.out" || fail "the app never started ticking"
  qemu=$(pgrep -P "$pid" qemu-system-x86 || true)
  [ -n "$qemu" ] || fail "no QEMU child of kiln run"
  kill -INT "$pid"
  for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then fail "kiln run still runs 10 s after SIGINT"; kill -KILL "$pid"; fi
  wait "$pid"
  code=$?
  cat "$work/run.out"
  [ "$code" -eq 130 ] || fail "kiln run exited $code after SIGINT, expected 130"
  grep -q "the VM was shut down" "$work/run.out" || fail "no shutdown message"
  [ -z "$qemu" ] || ! kill -0 "$qemu" 2>/dev/null || fail "QEMU ($qemu) still runs"
  ;;
run-flag-errors)
  app=$1
  check_refused() { # regex kiln-run-arguments...
    local regex=$1
    shift
    timeout 60 "$kiln" run "$@" "$app" >"$work/out" 2>&1
    local code=$?
    echo "--- kiln run $* -> $code"; cat "$work/out"
    [ "$code" -eq 2 ] || fail "kiln run $* exited $code, expected 2"
    grep -q -E -- "$regex" "$work/out" || fail "kiln run $*: the message does not match /$regex/"
    ! grep -q "accelerator" "$work/out" || fail "kiln run $* started a VM"
  }
  check_refused "-p forwards ports of QEMU's user network; with --net tap:kiln0 .*drop -p" --net tap:kiln0 -p 8080
  check_refused "-p needs a network device, but the network is none" --no-net -p 8080:80/udp
  check_refused "--ip needs a network device" --net none --ip 10.0.2.15/24
  check_refused "network bridge:br0: expected user, tap:IFNAME or none" --net bridge:br0
  check_refused "network tap:much-too-long-name: the tap's name must be 1-15 characters" --net tap:much-too-long-name
  check_refused "ip 10.0.2.15/24,10.0.3.2: gateway 10.0.3.2 is not in 10.0.2.15/24" --ip 10.0.2.15/24,10.0.3.2
  check_refused "ip 10.0.2.15: expected ADDRESS/PREFIX" --ip 10.0.2.15
  check_refused "port 53/sctp: expected HOST:GUEST" -p 53/sctp
  [ ! -d "$KILN_CACHE_DIR" ] || [ -z "$(ls -A "$KILN_CACHE_DIR")" ] || fail "kiln run built something for bad flags"
  ;;
*)
  echo "cli_test.sh: unknown scenario $scenario"; exit 2 ;;
esac
finish
