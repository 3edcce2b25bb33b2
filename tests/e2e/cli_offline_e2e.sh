#!/usr/bin/env bash
# The revocation queue (docs/security.md) with the real binary, keyring, OpenID provider and
# browser. The provider is reached through a forwarder (tests/harness/tcpforward.py) that this test
# stops: signing out while it is down erases every token from the keyring at once, keeps only the
# refresh token, sealed, in the database, and says the provider could not be reached; the token
# still works at the provider meanwhile. A start while the provider is still out of reach keeps it
# queued; the first start once it is back revokes it, and the queue is empty.
set -euo pipefail
latchkey=$1
here=$(cd "$(dirname "$0")" && pwd)
harness=$here/../harness
: "${LATCHKEY_TEST_BROWSER:?run inside tests/harness/with-services}"
work=$(mktemp -d)
provider_pid="" forward_pid=""
cleanup() {
    for p in $forward_pid $provider_pid; do kill "$p" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
fail() {
    echo "FAIL: $*" >&2
    for log in out err provider forward browser; do
        [[ -s $work/$log ]] && { echo "--- $log:"; cat "$work/$log"; } >&2
    done
    exit 1
}
wait_for() { # wait_for <file> <text>: until the line appears (10 s)
    for _ in $(seq 1 100); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
    fail "no '$2' in $1"
}

read -r public private < <(/usr/bin/python3 -c '
import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*(x.getsockname()[1] for x in s))')
node "$harness/oidc/provider.mjs" --port "$private" --issuer-port "$public" >"$work/provider" 2>&1 &
provider_pid=$!
wait_for "$work/provider" "oidc-provider ready"
online() {
    /usr/bin/python3 "$harness/tcpforward.py" "$public" "$private" >"$work/forward" 2>&1 &
    forward_pid=$!
    wait_for "$work/forward" "tcpforward ready"
}
offline() { kill "$forward_pid"; wait "$forward_pid" 2>/dev/null || true; forward_pid=""; }

export XDG_CONFIG_HOME=$work/config LATCHKEY_DATA_DIR=$work/data
export LATCHKEY_KEYCHAIN_SERVICE=latchkey-offline-e2e-$$
export LATCHKEY_ALLOW_HTTP_LOOPBACK_ISSUER=1 OIDC_PROVIDERS=cli OIDC_CLI_ISSUER=http://127.0.0.1:$public
export OIDC_CLI_CLIENT_ID=latchkey-public OIDC_CLI_SCOPES="openid email profile offline_access"
sql() {
    /usr/bin/python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2], sys.argv[3:]).fetchone()[0])' \
        "$LATCHKEY_DATA_DIR/latchkey.db" "$@"
}
keys() { secret-tool search --all server "$LATCHKEY_KEYCHAIN_SERVICE" 2>&1 | sed -n 's/^attribute\.user = //p' | sort; }
stored_token() { # the provider token of purpose $1 in the keyring (QtKeychain stores base64)
    local key; key=$(keys | grep "^tok/cli/.*/$1\$" || true)
    [[ -n $key ]] && secret-tool lookup server "$LATCHKEY_KEYCHAIN_SERVICE" user "$key" | base64 -d
}
# Straight to the provider, past the forwarder: what the provider thinks of a token.
alive() { [[ $(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $1" "http://127.0.0.1:$private/me") == 200 ]]; }

online
: >"$work/out"
"$latchkey" signin --provider cli --no-browser >"$work/out" 2>"$work/err" </dev/null &
signin_pid=$!
wait_for "$work/out" "^  http"
url=$(sed -n 's/^  \(http[^ ]*\)$/\1/p' "$work/out")
"$LATCHKEY_TEST_BROWSER" "$url" --login offline-ann >"$work/browser" 2>&1 || fail "browser driver"
wait "$signin_pid" || fail "signin exited $?"
refresh=$(stored_token refresh) || fail "no refresh token stored"
access=$(stored_token access) || fail "no access token stored"
alive "$access" || fail "the access token does not work before signing out"

# Signing out with the provider out of reach: signed out here, everything erased, the provider
# named, one sealed row left.
offline
rc=0; "$latchkey" signout >"$work/out" 2>"$work/err" || rc=$?
[[ $rc -eq 0 ]] || fail "signout exited $rc"
grep -q "Cli could not be reached" "$work/err" || fail "signout did not say the provider was out of reach"
[[ -z $(keys | grep -E '^(session|tok/)' || true) ]] || fail "keyring entries left: $(keys)"
[[ $(sql "select count(*) from pending_revocations") -eq 1 ]] || fail "no queued revocation"
[[ $(sql "select instr(sealed, cast(? as blob)) from pending_revocations" "$refresh") -eq 0 ]] ||
    fail "the queued token is stored in the clear"
alive "$access" || fail "the grant ended although the provider was never reached"

# A start while it is still out of reach: the revocation keeps waiting.
rc=0; "$latchkey" status >"$work/out" 2>"$work/err" || rc=$?
[[ $rc -eq 3 ]] || fail "status exited $rc"
[[ $(sql "select count(*) from pending_revocations") -eq 1 ]] || fail "the queued revocation was lost"
[[ $(sql "select attempts from pending_revocations") -eq 2 ]] || fail "the second try was not counted"

# Back online: the next start revokes it.
online
rc=0; "$latchkey" status >"$work/out" 2>"$work/err" || rc=$?
[[ $rc -eq 3 ]] || fail "status exited $rc"
[[ $(sql "select count(*) from pending_revocations") -eq 0 ]] || fail "the revocation still waits"
! alive "$access" || fail "the grant still works after the revocation"
answer=$(curl -s -X POST "http://127.0.0.1:$private/token" --data-urlencode grant_type=refresh_token \
    --data-urlencode "refresh_token=$refresh" --data-urlencode client_id=latchkey-public)
[[ $answer == *'"error":"invalid_grant"'* ]] || fail "the refresh token was not revoked: $answer"
echo "PASS: a revocation out of reach waits, sealed, and is done once the provider is back"
