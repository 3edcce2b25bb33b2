#!/usr/bin/env bash
# The command line's OpenID Connect sign-in end to end, with the real oidc-provider, keyring and
# browser driver: signin --provider cli --no-browser prints the URL → the browser logs in and
# consents → exit 0 "Signed in as" → status → signout erases the keychain entries and revokes the
# refresh token; --deny at the provider → no session; an unknown provider → exit 2 listing the ids.
set -euo pipefail
latchkey=$1
: "${LATCHKEY_TEST_OIDC_ISSUER:?run inside tests/harness/with-services}"
: "${LATCHKEY_TEST_BROWSER:?run inside tests/harness/with-services}"
work=$(mktemp -d)
signin=""
cleanup() {
    [[ -z $signin ]] || kill "$signin" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
export LATCHKEY_DATA_DIR=$work/data XDG_CONFIG_HOME=$work/config
export LATCHKEY_KEYCHAIN_SERVICE=latchkey-cli-oidc-e2e-$$
export LATCHKEY_ALLOW_HTTP_LOOPBACK_ISSUER=1
export OIDC_PROVIDERS=cli OIDC_CLI_ISSUER=$LATCHKEY_TEST_OIDC_ISSUER OIDC_CLI_CLIENT_ID=latchkey-public
export OIDC_CLI_LABEL="Test ID" OIDC_CLI_SCOPES="openid email profile offline_access"
unset EMAIL_SERVER
fail() { echo "FAIL: $*" >&2; exit 1; }
keys() { secret-tool search --all server "$LATCHKEY_KEYCHAIN_SERVICE" 2>&1 | sed -n 's/^attribute\.user = //p' | sort; }

# Starts `signin --provider cli --no-browser` in the background (pid in $signin) and sets $url to
# the URL it shows.
start_signin() { # $@: the command (default: signin --provider cli)
    : >"$work/out"
    local command=("$@"); [[ ${#command[@]} -gt 0 ]] || command=(signin --provider cli)
    "$latchkey" "${command[@]}" --no-browser >"$work/out" 2>"$work/err" </dev/null &
    signin=$!
    url=""
    for _ in $(seq 1 100); do
        url=$(sed -n 's/^  \(http[^ ]*\)$/\1/p' "$work/out")
        [[ -n $url ]] && break
        kill -0 "$signin" 2>/dev/null || fail "signin exited early: $(cat "$work/err")"
        sleep 0.1
    done
    [[ -n $url ]] || fail "signin printed no URL: $(cat "$work/out")"
}

# 1. Sign in through the browser.
start_signin
[[ $url == "$LATCHKEY_TEST_OIDC_ISSUER"/* ]] || fail "the URL does not go to the issuer"
grep -q "Test ID" "$work/out" || fail "the provider label is not shown: $(cat "$work/out")"
"$LATCHKEY_TEST_BROWSER" "$url" --login carol >"$work/browser" 2>"$work/browser.err" ||
    fail "browser driver: $(cat "$work/browser.err")"
grep -q '"path":"/callback/cli","status":200,"heading":"Signed in"' "$work/browser" ||
    fail "browser landed on: $(cat "$work/browser")"
rc=0; wait "$signin" || rc=$?; signin=""
[[ $rc -eq 0 ]] || fail "signin exited $rc: $(cat "$work/err")"
grep -q "Signed in as carol@example.com" "$work/out" || fail "signin output: $(cat "$work/out")"

# 2. A new process sees the session; the provider tokens are in the keyring, not in SQLite.
"$latchkey" status | grep -q "Signed in as carol@example.com" || fail "status after sign-in"
"$latchkey" session --json | /usr/bin/python3 -c '
import json, os, sys
d = json.load(sys.stdin)
assert d["user"]["name"] == "Carol" and d["methods"] == ["cli"], d
[account] = d["accounts"]
assert account["provider"] == "cli" and account["issuer"] == os.environ["LATCHKEY_TEST_OIDC_ISSUER"] and account["sub"], d' ||
    fail "session --json"
refresh_key=$(keys | grep '^tok/cli/.*/refresh$' || true)
[[ -n $refresh_key ]] || fail "no refresh token in the keyring (keys: $(keys | tr '\n' ' '))"
refresh=$(secret-tool lookup server "$LATCHKEY_KEYCHAIN_SERVICE" user "$refresh_key" | base64 -d) # QtKeychain: base64
[[ ${#refresh} -ge 20 ]] || fail "the stored refresh token is empty"
if cat "$LATCHKEY_DATA_DIR"/latchkey.db* | grep -qaF "$refresh"; then fail "the refresh token is in SQLite"; fi

# 2b. refresh asks the provider now: exit 0, and the rotated refresh token replaced the old one.
"$latchkey" refresh >"$work/out" 2>"$work/err" || fail "refresh exit $?: $(cat "$work/err")"
grep -q "Renewed the Test ID sign-in" "$work/out" || fail "refresh output: $(cat "$work/out")"
rotated=$(secret-tool lookup server "$LATCHKEY_KEYCHAIN_SERVICE" user "$refresh_key" | base64 -d)
[[ -n $rotated && $rotated != "$refresh" ]] || fail "the refresh token was not rotated and stored"
refresh=$rotated

# 3. Sign out everywhere (with a second session of Carol's in the database, as from another
# process): every session row and keychain entry gone, refresh token revoked at the provider
# (RFC 7009).
/usr/bin/python3 - "$LATCHKEY_DATA_DIR/latchkey.db" <<'PY'
import os, sqlite3, sys, time
now = int(time.time())
with sqlite3.connect(sys.argv[1]) as db:
    user = db.execute("SELECT id FROM users WHERE email = 'carol@example.com'").fetchone()[0]
    db.execute("INSERT INTO sessions (token_hash, user_id, expires, created_at, last_seen_at, device_name) VALUES (?, ?, ?, ?, ?, 'other')", (os.urandom(32), user, now + 86400, now, now))
PY
[[ $("$latchkey" sessions --json | /usr/bin/python3 -c 'import json,sys; print(len(json.load(sys.stdin)))') -eq 2 ]] || fail "sessions: $("$latchkey" sessions)"
# Signing out everywhere needs a sign-in within 10 minutes: the last one is made an hour old.
sql_exec() { /usr/bin/python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()' "$LATCHKEY_DATA_DIR/latchkey.db" "$1"; }
sql_exec "UPDATE sessions SET authenticated_at = authenticated_at - 3600"
set +e; "$latchkey" signout --everywhere >"$work/out" 2>"$work/err"; stale=$?; set -e
[[ $stale -eq 3 ]] || fail "signout --everywhere without a recent sign-in exited $stale"
grep -q "latchkey confirm" "$work/err" || fail "no hint to confirm: $(cat "$work/err")"
[[ $("$latchkey" sessions --json | /usr/bin/python3 -c 'import json,sys; print(len(json.load(sys.stdin)))') -eq 2 ]] || fail "a refused signout --everywhere ended sessions"
# Confirming with another account at the provider is refused; with Carol's it works (the
# provider is asked for a fresh login: prompt=login, max_age=0, and auth_time is checked).
start_signin confirm
[[ $url == *prompt=login* && $url == *max_age=0* ]] || fail "the step-up URL asks for no fresh login: $url"
"$LATCHKEY_TEST_BROWSER" "$url" --login dave >"$work/browser" 2>"$work/browser.err" || true
rc=0; wait "$signin" || rc=$?; signin=""
[[ $rc -ne 0 ]] || fail "confirming as dave was accepted"
grep -q "different Test ID account" "$work/err" || fail "confirming as dave said: $(cat "$work/err")"
start_signin confirm
"$LATCHKEY_TEST_BROWSER" "$url" --login carol >"$work/browser" 2>"$work/browser.err" ||
    fail "browser driver: $(cat "$work/browser.err")"
rc=0; wait "$signin" || rc=$?; signin=""
[[ $rc -eq 0 ]] || fail "confirm exited $rc: $(cat "$work/err")"
grep -q "Confirmed" "$work/out" || fail "confirm output: $(cat "$work/out")"
refresh_key=$(keys | grep '^tok/cli/.*/refresh$' || true)
refresh=$(secret-tool lookup server "$LATCHKEY_KEYCHAIN_SERVICE" user "$refresh_key" | base64 -d)
"$latchkey" signout --everywhere | grep -q "Signed out everywhere" || fail "signout --everywhere"
rows=$(/usr/bin/python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from sessions").fetchone()[0])' "$LATCHKEY_DATA_DIR/latchkey.db")
[[ $rows -eq 0 ]] || fail "$rows session rows left after signout --everywhere"
[[ -z $(keys | grep -E '^(session|tok/)' || true) ]] || fail "keychain entries left after signout: $(keys | tr '\n' ' ')"
answer=$(curl -s -X POST "$LATCHKEY_TEST_OIDC_ISSUER/token" --data-urlencode grant_type=refresh_token \
    --data-urlencode "refresh_token=$refresh" --data-urlencode client_id=latchkey-public)
[[ $answer == *'"error":"invalid_grant"'* ]] || fail "the refresh token still works after signout: ${answer:0:80}"
set +e
"$latchkey" status >/dev/null; status=$?
set -e
[[ $status -eq 3 ]] || fail "status exit $status after signout"

# 4. The person cancels at the provider: a clear message, a failure exit, no session.
start_signin
"$LATCHKEY_TEST_BROWSER" "$url" --deny >"$work/browser" 2>"$work/browser.err" ||
    fail "browser driver (deny): $(cat "$work/browser.err")"
rc=0; wait "$signin" || rc=$?; signin=""
[[ $rc -ne 0 ]] || fail "signin succeeded although the person cancelled"
grep -q "cancelled" "$work/err" || fail "deny message: $(cat "$work/err")"
set +e
"$latchkey" status >/dev/null; status=$?
set -e
[[ $status -eq 3 ]] || fail "status exit $status after a denied sign-in"

# 5. An unknown provider: exit 2 (configuration), the configured ids listed, nothing started.
set +e
"$latchkey" signin --provider nope --no-browser >"$work/out" 2>"$work/err" </dev/null; unknown=$?
set -e
[[ $unknown -eq 2 ]] || fail "unknown provider exit $unknown: $(cat "$work/err")"
grep -q '"nope"' "$work/err" && grep -q "Configured: cli" "$work/err" || fail "unknown provider message: $(cat "$work/err")"
grep -q "http" "$work/out" && fail "a URL was printed for an unknown provider"
# 6. A provider whose renewed ID token names another person (OIDC Core §12.2): refresh ends the
# session instead of switching the user: exit 3 with the reason, no session row, no entries left.
start_signin
"$LATCHKEY_TEST_BROWSER" "$url" --login switch-on-refresh-dave >"$work/browser" 2>"$work/browser.err" ||
    fail "browser driver (switch): $(cat "$work/browser.err")"
rc=0; wait "$signin" || rc=$?; signin=""
[[ $rc -eq 0 ]] || fail "signin (switch) exited $rc: $(cat "$work/err")"
set +e
"$latchkey" refresh --provider cli >"$work/out" 2>"$work/err"; switched=$?
set -e
[[ $switched -eq 3 ]] || fail "refresh exit $switched when the provider switched the user: $(cat "$work/err")"
grep -q "different person" "$work/err" || fail "switch message: $(cat "$work/err")"
grep -q "mallory" "$work/out" "$work/err" && fail "the refresh signed in as the other person"
[[ -z $(keys | grep -E '^(session|tok/)' || true) ]] || fail "keychain entries left after the switch: $(keys | tr '\n' ' ')"
rows=$(/usr/bin/python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from sessions").fetchone()[0])' "$LATCHKEY_DATA_DIR/latchkey.db")
[[ $rows -eq 0 ]] || fail "$rows session rows left after the switch"
set +e
"$latchkey" status >/dev/null; status=$?
set -e
[[ $status -eq 3 ]] || fail "status exit $status after the switch"
echo "1 passed, 0 failed"
