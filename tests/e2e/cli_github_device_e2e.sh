#!/usr/bin/env bash
# Device sign-in with GitHub from the command line, end to end: the real binary, keyring and SQLite
# file, the GitHub stand-in (tests/harness/github/standin.mjs: POST /login/device/code, polls of
# /login/oauth/access_token answered with errors in a 200) and the harness browser as "the other
# device". The stand-in runs here with short knobs (interval 1 s; a 3-second code for the expiry).
#   1. alice signs in with the browser on this computer; signout. Then `signin --provider github
#      --device` prints GitHub's address and user code (and a QR code); the browser signs in as
#      alice, types the code and authorizes → exit 0; `session --json` shows the same user and the
#      same GitHub account (numeric id) as the browser sign-in.
#   2. deny: [ Cancel ] on GitHub's page → access_denied → exit 4, a clear message, no session.
#   3. the OAuth app without Device Flow enabled → device_flow_disabled → exit 2, "Enable Device
#      Flow", no session.
#   4. nobody approves a 3-second code → exit 1, "The code expired…", no session.
#   5. slow_down: the stand-in advertises 1 s but enforces 3 s, so the second poll is answered
#      slow_down with GitHub's new interval 3 + 5 = 8 s; the next poll waits those 8 s (more than
#      RFC 8628's +5 s), and alice's approval still signs her in.
set -euo pipefail
latchkey=$1
here=$(cd "$(dirname "$0")" && pwd)
harness=$here/../harness
: "${LATCHKEY_TEST_BROWSER:?run inside tests/harness/with-services}"
work=$(mktemp -d)
standin_pid="" signin=""
cleanup() {
    for p in $signin $standin_pid; do kill "$p" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
fail() {
    echo "FAIL: $*" >&2
    for log in out err standin browser browser.err; do
        [[ -s $work/$log ]] && { echo "--- $log:"; cat "$work/$log"; } >&2
    done
    exit 1
}
wait_for() { # wait_for <file> <text>: until the text appears (20 s)
    for _ in $(seq 1 200); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
    fail "no '$2' in $1"
}

export XDG_CONFIG_HOME=$work/config LATCHKEY_DATA_DIR=$work/data
export LATCHKEY_KEYCHAIN_SERVICE=latchkey-github-device-e2e-$$
export LATCHKEY_ALLOW_HTTP_LOOPBACK_ISSUER=1
export GITHUB_ID=Ov23liLatchkeyTest01 GITHUB_SECRET=c0ffee5ec2e7c0ffee5ec2e7c0ffee5ec2e7aa01
unset EMAIL_SERVER OIDC_PROVIDERS

# (Re)starts the GitHub stand-in with these knobs [VAR=value ...], on the ports of its first start
# (the web base is the accounts' issuer: it must not change between sign-ins of one person).
standin() {
    local ports=()
    if [[ -n $standin_pid ]]; then
        kill "$standin_pid"; wait "$standin_pid" 2>/dev/null || true
        ports=(--web-port "${GITHUB_URL##*:}" --api-port "${GITHUB_API_URL##*:}")
    fi
    : >"$work/standin"
    env "$@" node "$harness/github/standin.mjs" "${ports[@]}" >"$work/standin" 2>&1 &
    standin_pid=$!
    wait_for "$work/standin" "github-standin ready"
    GITHUB_URL=$(sed -n 's/.* web=\([^ ]*\) .*/\1/p' "$work/standin")
    GITHUB_API_URL=$(sed -n 's/.* api=\([^ ]*\) .*/\1/p' "$work/standin")
    export GITHUB_URL GITHUB_API_URL
}
session_field() { # session_field <python expression on d>
    "$latchkey" session --json | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"
}
signed_out() { local s=0; "$latchkey" status >/dev/null 2>&1 || s=$?; [[ $s -eq 3 ]]; }

# Starts `signin --provider github --device` (pid in $signin); sets $url and $code from its output.
start_signin() {
    : >"$work/out"
    "$latchkey" signin --provider github --device >"$work/out" 2>"$work/err" </dev/null &
    signin=$!
    wait_for "$work/out" "Waiting for approval"
    url=$(sed -n 's/^  \(http[^ ]*\)$/\1/p' "$work/out" | head -n1)
    code=$(sed -n 's/^  \([A-Z]\{4\}-[A-Z]\{4\}\)$/\1/p' "$work/out" | head -n1)
    [[ $url == "$GITHUB_URL/login/device" ]] || fail "verification URL: '$url'"
    [[ -n $code ]] || fail "no user code shown"
}
finish_signin() { # finish_signin: waits for the command; sets $rc
    rc=0; wait "$signin" || rc=$?; signin=""
}
browser() { # browser <url> [flags]: the other device
    "$LATCHKEY_TEST_BROWSER" "$@" >"$work/browser" 2>"$work/browser.err" ||
        fail "browser driver: $(cat "$work/browser.err")"
}

# 1. A browser sign-in as alice, then a device sign-in as alice: the same user and account.
standin LATCHKEY_TEST_GITHUB_DEVICE_INTERVAL=1
: >"$work/out"
"$latchkey" signin --provider github --no-browser >"$work/out" 2>"$work/err" </dev/null &
signin=$!
wait_for "$work/out" "/login/oauth/authorize?"
browser "$(sed -n 's/^  \(http[^ ]*\)$/\1/p' "$work/out" | head -n1)" --login alice
finish_signin
[[ $rc -eq 0 ]] || fail "browser sign-in exited $rc"
browser_user=$(session_field 'd["user"]["id"]')
browser_sub=$(session_field 'd["accounts"][0]["sub"]')
[[ $browser_sub =~ ^[0-9]+$ ]] || fail "browser sign-in: sub '$browser_sub'"
"$latchkey" signout >/dev/null 2>&1 || fail "signout"
signed_out || fail "still signed in after signout"

start_signin
grep -q "To sign in with GitHub" "$work/out" || fail "the provider label is not shown"
grep -q "█" "$work/out" || fail "no QR code drawn"
browser "$url" --user-code "$code" --login alice
grep -q "Congratulations, you're all set!" "$work/browser" || fail "browser landed on: $(cat "$work/browser")"
finish_signin
[[ $rc -eq 0 ]] || fail "device sign-in exited $rc"
grep -q "Signed in as alice@users.example.com" "$work/out" || fail "no 'Signed in as'"
# No secret on the terminal: no device code (40 hex) and no token (gho_...).
if grep -qE '[0-9a-f]{40}|gho_' "$work/out" "$work/err"; then fail "a secret was printed"; fi
[[ $(session_field 'd["user"]["id"]') == "$browser_user" ]] || fail "device sign-in: another user"
[[ $(session_field 'd["user"]["email"]') == alice@users.example.com ]] || fail "device sign-in: email"
[[ $(session_field 'd["methods"]') == "['github']" ]] || fail "device sign-in: methods"
[[ $(session_field 'len(d["accounts"])') == 1 ]] || fail "device sign-in: a second account"
[[ $(session_field 'd["accounts"][0]["sub"]') == "$browser_sub" ]] || fail "device sign-in: GitHub id"
[[ $(session_field 'd["accounts"][0]["issuer"]') == "$GITHUB_URL" ]] || fail "device sign-in: issuer"
"$latchkey" signout >/dev/null 2>&1 || fail "signout"

# 2. Deny: [ Cancel ] on GitHub's page for this code.
start_signin
browser "$url?user_code=$code" --user-code "$code" --login alice --deny
finish_signin
[[ $rc -eq 4 ]] || fail "denied: exit $rc, expected 4"
grep -q "The sign-in was declined on the other device" "$work/err" || fail "denied: message"
signed_out || fail "denied: a session exists"

# 3. An OAuth app without Device Flow enabled.
rc=0
GITHUB_ID=Ov23liLatchkeyNoDev1 GITHUB_SECRET=c0ffee5ec2e7c0ffee5ec2e7c0ffee5ec2e7aa02 \
    "$latchkey" signin --provider github --device >"$work/out" 2>"$work/err" </dev/null || rc=$?
[[ $rc -eq 2 ]] || fail "device flow disabled: exit $rc, expected 2"
grep -q "Enable Device Flow in the OAuth app's settings" "$work/err" || fail "device flow disabled: message"
! grep -q "Waiting for approval" "$work/out" || fail "device flow disabled: a code was shown"
signed_out || fail "device flow disabled: a session exists"

# 4. Nobody approves a 3-second code.
standin LATCHKEY_TEST_GITHUB_DEVICE_INTERVAL=1 LATCHKEY_TEST_GITHUB_DEVICE_TTL=3
start_signin
finish_signin
[[ $rc -eq 1 ]] || fail "expired: exit $rc, expected 1"
grep -q "The code expired before it was approved. Start again to get a new code." "$work/err" ||
    fail "expired: message"
signed_out || fail "expired: a session exists"
# 5. slow_down carrying GitHub's new interval.
standin LATCHKEY_TEST_GITHUB_DEVICE_INTERVAL=3 LATCHKEY_TEST_GITHUB_DEVICE_ADVERTISED_INTERVAL=1
start_signin
polls() { grep -c "POST /login/oauth/access_token" "$work/standin" || true; }
for _ in $(seq 1 100); do [[ $(polls) -ge 2 ]] && break; sleep 0.1; done
[[ $(polls) -ge 2 ]] || fail "slow_down: fewer than two polls"
browser "$url" --user-code "$code" --login alice
finish_signin
[[ $rc -eq 0 ]] || fail "slow_down: exit $rc"
[[ $(session_field 'd["user"]["id"]') == "$browser_user" ]] || fail "slow_down: another user"
# The gap between the second poll (answered slow_down) and the third, from the stand-in's log.
gap=$(grep "POST /login/oauth/access_token" "$work/standin" | sed -n '2p;3p' | cut -d' ' -f1 |
    /usr/bin/python3 -c '
import sys
from datetime import datetime
t = [datetime.fromisoformat(l.strip().replace("Z", "+00:00")) for l in sys.stdin]
print(int((t[1] - t[0]).total_seconds() * 1000))')
[[ $gap -ge 7800 ]] || fail "slow_down: the poll after it came $gap ms later, not GitHub's 8 s"
"$latchkey" signout >/dev/null 2>&1 || fail "signout"
echo "cli_github_device_e2e: ok"
