#!/usr/bin/env bash
# Device sign-in (RFC 8628) from the command line, end to end: the real binary, keyring, SQLite file,
# oidc-provider (features.deviceFlow) and the harness browser as "the other device".
#   1. approve: `signin --provider dev --device` prints the address, the user code and a QR code
#      (never the device code); the browser types the code, logs in and approves → exit 0, and a
#      new process sees the session (`session --json`).
#   2. deny: "[ Abort ]" on the provider's confirm page → exit 4, a clear message, no session.
#   3. expire: a 3-second code nobody approves → exit 1, "The code expired…", no session.
#   4. slow_down: the provider answers slow_down to a poll that comes sooner than 3 s after the
#      previous one (interval 1 s): the next poll waits 1 + 5 s, and the sign-in still succeeds.
#   5. Ctrl+C (SIGINT) while waiting → exit 4 "Sign-in was cancelled", and no poll after it.
# Each part starts its own provider (tests/harness/oidc/provider.mjs) with the device-flow knobs
# it needs (LATCHKEY_TEST_OIDC_DEVICE_*).
set -euo pipefail
latchkey=$1
here=$(cd "$(dirname "$0")" && pwd)
harness=$here/../harness
: "${LATCHKEY_TEST_BROWSER:?run inside tests/harness/with-services}"
work=$(mktemp -d)
provider_pid="" signin=""
cleanup() {
    for p in $signin $provider_pid; do kill "$p" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
fail() {
    echo "FAIL: $*" >&2
    for log in out err provider browser browser.err; do
        [[ -s $work/$log ]] && { echo "--- $log:"; cat "$work/$log"; } >&2
    done
    exit 1
}
wait_for() { # wait_for <file> <text>: until the text appears (20 s)
    for _ in $(seq 1 200); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
    fail "no '$2' in $1"
}

port=$(/usr/bin/python3 -c '
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export XDG_CONFIG_HOME=$work/config LATCHKEY_DATA_DIR=$work/data
export LATCHKEY_KEYCHAIN_SERVICE=latchkey-device-e2e-$$
export LATCHKEY_ALLOW_HTTP_LOOPBACK_ISSUER=1 OIDC_PROVIDERS=dev OIDC_DEV_ISSUER=http://127.0.0.1:$port
export OIDC_DEV_CLIENT_ID=latchkey-public OIDC_DEV_LABEL="Device ID" OIDC_DEV_SCOPES="openid email profile"
unset EMAIL_SERVER

provider() { # provider [VAR=value ...]: (re)starts the provider with these device-flow knobs
    [[ -z $provider_pid ]] || { kill "$provider_pid"; wait "$provider_pid" 2>/dev/null || true; }
    env "$@" node "$harness/oidc/provider.mjs" --port "$port" >"$work/provider" 2>&1 &
    provider_pid=$!
    wait_for "$work/provider" "oidc-provider ready"
}

# Starts `signin --provider dev --device` (pid in $signin); sets $url and $code from its output.
start_signin() {
    : >"$work/out"
    "$latchkey" signin --provider dev --device >"$work/out" 2>"$work/err" </dev/null &
    signin=$!
    wait_for "$work/out" "Waiting for approval"
    url=$(sed -n 's/^  \(http[^ ]*\)$/\1/p' "$work/out" | head -n1)
    code=$(sed -n 's/^  \([A-Z]\{4\}-[A-Z]\{4\}\)$/\1/p' "$work/out" | head -n1)
    [[ $url == "http://127.0.0.1:$port/device" ]] || fail "verification URL: '$url'"
    [[ -n $code ]] || fail "no user code shown"
}
finish_signin() { # finish_signin: waits for the command; sets $rc
    rc=0; wait "$signin" || rc=$?; signin=""
}
browser() { # browser [--deny]: the other device opens the address and types the code
    "$LATCHKEY_TEST_BROWSER" "$url" --user-code "$code" --login dave "$@" \
        >"$work/browser" 2>"$work/browser.err" || fail "browser driver: $(cat "$work/browser.err")"
}
signed_out() { local s=0; "$latchkey" status >/dev/null 2>&1 || s=$?; [[ $s -eq 3 ]]; }

# 1. Approve.
provider LATCHKEY_TEST_OIDC_DEVICE_INTERVAL=1
start_signin
grep -q "Device ID" "$work/out" || fail "the provider label is not shown"
grep -q "█" "$work/out" || fail "no QR code drawn"
grep -q "Only enter the code if you started this sign-in yourself" "$work/out" || fail "no phishing note"
browser
grep -q '"heading":"Sign-in Success"' "$work/browser" || fail "browser landed on: $(cat "$work/browser")"
finish_signin
[[ $rc -eq 0 ]] || fail "signin exited $rc"
grep -q "Signed in as dave@example.com" "$work/out" || fail "no 'Signed in as'"
# No secret on the terminal: nothing as long as a device code or token (oidc-provider: 43 chars).
if grep -qE '[A-Za-z0-9_-]{30,}' "$work/out" "$work/err"; then fail "a secret-looking string was printed"; fi
"$latchkey" session --json | /usr/bin/python3 -c '
import json, os, sys
d = json.load(sys.stdin)
assert d["user"]["email"] == "dave@example.com" and d["user"]["name"] == "Dave", d
assert d["methods"] == ["dev"], d
[account] = d["accounts"]
assert account["issuer"] == os.environ["OIDC_DEV_ISSUER"] and account["sub"] == "dave", d' ||
    fail "session --json after a device sign-in"
"$latchkey" signout >/dev/null 2>&1 || fail "signout"
signed_out || fail "still signed in after signout"

# 2. Deny on the other device.
start_signin
browser --deny
finish_signin
[[ $rc -eq 4 ]] || fail "denied: exit $rc, expected 4"
grep -q "The sign-in was declined on the other device" "$work/err" || fail "denied: message"
signed_out || fail "denied: a session exists"

# 3. Nobody approves a 3-second code.
provider LATCHKEY_TEST_OIDC_DEVICE_INTERVAL=1 LATCHKEY_TEST_OIDC_DEVICE_CODE_TTL=3
start_signin
finish_signin
[[ $rc -eq 1 ]] || fail "expired: exit $rc, expected 1"
grep -q "The code expired before it was approved. Start again to get a new code." "$work/err" ||
    fail "expired: message"
signed_out || fail "expired: a session exists"

# 4. slow_down: polls 1 s apart get slow_down; the next one comes 6 s later.
provider LATCHKEY_TEST_OIDC_DEVICE_INTERVAL=1 LATCHKEY_TEST_OIDC_DEVICE_SLOW_DOWN_BELOW=3
start_signin
wait_for "$work/provider" "device poll slow_down"
browser
finish_signin
[[ $rc -eq 0 ]] || fail "slow_down: exit $rc"
gap=$(sed -n 's/.*device poll after \([0-9]*\) ms.*/\1/p' "$work/provider" | tail -n1)
[[ -n $gap && $gap -ge 5800 ]] || fail "slow_down: the poll after it came ${gap:-never} ms later, not 6 s"
"$latchkey" signout >/dev/null 2>&1 || fail "signout"

# 5. Ctrl+C cancels at once; no poll follows.
start_signin
wait_for "$work/provider" "device poll"
kill -INT "$signin"
finish_signin
[[ $rc -eq 4 ]] || fail "Ctrl+C: exit $rc, expected 4"
grep -q "Sign-in was cancelled" "$work/err" || fail "Ctrl+C: message"
polls=$(grep -c "device poll\|grant.error" "$work/provider" || true)
sleep 2.5 # more than two intervals
[[ $(grep -c "device poll\|grant.error" "$work/provider" || true) -eq $polls ]] ||
    fail "Ctrl+C: the provider was polled after the cancel"
signed_out || fail "Ctrl+C: a session exists"
echo "cli_device_e2e: ok"
