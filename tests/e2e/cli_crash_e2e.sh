#!/usr/bin/env bash
# Crash consistency (docs/security.md), with the real binary, keyring, SMTP sink, OpenID provider
# and browser: the command line is killed with SIGKILL at each step of both sign-ins and of
# sign-out (crash points: LATCHKEY_CRASH_AT, built with LATCHKEY_CRASH_POINTS), then started again.
# The next start must be signed in or signed out, never half: checked in the database (session
# rows, accounts that may hold tokens) and in the keyring (session and provider-token entries), and
# provider tokens a crash left behind (or whose revocation it cut short) are revoked at the
# provider.
set -euo pipefail
latchkey=$1
here=$(cd "$(dirname "$0")" && pwd)
: "${LATCHKEY_TEST_MAILDIR:?run inside tests/harness/with-services}"
: "${LATCHKEY_TEST_OIDC_ISSUER:?run inside tests/harness/with-services}"
: "${LATCHKEY_TEST_BROWSER:?run inside tests/harness/with-services}"
work=$(mktemp -d)
pid=""
cleanup() {
    [[ -z $pid ]] || kill "$pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
trap '' PIPE # typing a code to a process that was just killed must not end this script
export XDG_CONFIG_HOME=$work/config
export EMAIL_SERVER=smtps://127.0.0.1:$LATCHKEY_TEST_SMTPS_PORT EMAIL_CA_FILE=$LATCHKEY_TEST_CA_FILE
export EMAIL_FROM="Latchkey <no-reply@example.com>"
export LATCHKEY_ALLOW_HTTP_LOOPBACK_ISSUER=1
export OIDC_PROVIDERS=cli OIDC_CLI_ISSUER=$LATCHKEY_TEST_OIDC_ISSUER OIDC_CLI_CLIENT_ID=latchkey-public
export OIDC_CLI_SCOPES="openid email profile offline_access"
fail() {
    echo "FAIL [$scenario]: $*" >&2
    for log in err status browser; do
        [[ -s $work/$log ]] && { echo "--- $log:"; cat "$work/$log"; } >&2
    done
    exit 1
}
mails() { /usr/bin/python3 "$here/mailtool.py" "$LATCHKEY_TEST_MAILDIR" --count; }
newest_code() {
    /usr/bin/python3 "$here/mailtool.py" "$LATCHKEY_TEST_MAILDIR" |
        /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["code"])'
}
sql() {
    /usr/bin/python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' \
        "$LATCHKEY_DATA_DIR/latchkey.db" "$1"
}
keys() { secret-tool search --all server "$LATCHKEY_KEYCHAIN_SERVICE" 2>&1 | sed -n 's/^attribute\.user = //p' | sort; }
token_keys() { keys | grep -E '^(session|tok/)' | tr '\n' ' ' || true; }
stored_token() { # the provider token of purpose $1 (refresh, access) in the keyring
    local key; key=$(keys | grep "^tok/cli/.*/$1\$" || true)
    # QtKeychain keeps binary secrets base64-encoded (attribute type = base64).
    [[ -n $key ]] && secret-tool lookup server "$LATCHKEY_KEYCHAIN_SERVICE" user "$key" | base64 -d
}
alive() { # the access token $1 still opens the provider's userinfo endpoint
    [[ $(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $1" "$LATCHKEY_TEST_OIDC_ISSUER/me") == 200 ]]
}
revoked() { # the refresh token $1 no longer works at the provider
    local answer
    answer=$(curl -s -X POST "$LATCHKEY_TEST_OIDC_ISSUER/token" --data-urlencode grant_type=refresh_token \
        --data-urlencode "refresh_token=$1" --data-urlencode client_id=latchkey-public)
    [[ $answer == *'"error":"invalid_grant"'* ]]
}

# A new scenario: its own data directory and keyring entries.
fresh() {
    scenario=$1
    export LATCHKEY_DATA_DIR=$work/$1 LATCHKEY_KEYCHAIN_SERVICE=latchkey-crash-e2e-$$-$1
}

# Waits for $pid and checks that it died at crash point $1 (SIGKILL: 128 + 9).
expect_killed_at() {
    local rc=0; wait "$pid" || rc=$?; pid=""
    [[ $rc -eq 137 ]] || fail "exited $rc instead of being killed: $(cat "$work/err")"
    grep -q "crash point $1 reached" "$work/err" || fail "killed, but not at $1: $(cat "$work/err")"
}

# The restart, then the state it must reach: "in" (signed in, its entries all there) or "out"
# (signed out, no session row, no entry left, no account noted as holding tokens).
restart_expect() {
    local rc=0; "$latchkey" status >"$work/status" 2>&1 || rc=$?
    case $1 in
        in)
            [[ $rc -eq 0 ]] || fail "the restart is not signed in (exit $rc): $(cat "$work/status")"
            [[ $(sql "select count(*) from sessions") -eq 1 ]] || fail "session rows: $(sql "select count(*) from sessions")"
            keys | grep -qE "^session/[0-9]+$" || fail "no session entry in the keyring"
            ;;
        out)
            [[ $rc -eq 3 ]] || fail "the restart is not signed out (exit $rc): $(cat "$work/status")"
            [[ $(sql "select count(*) from sessions") -eq 0 ]] || fail "a session row is left"
            [[ -z $(token_keys) ]] || fail "keyring entries left: $(token_keys)"
            [[ $(sql "select count(*) from accounts where tokens_stored_at is not null") -eq 0 ]] ||
                fail "an account is still noted as holding tokens"
            ;;
    esac
}

# signin --provider cli through the browser (login $2); LATCHKEY_CRASH_AT=$1 (empty: no crash).
oidc_signin() {
    : >"$work/out" # exists before the background process opens it: the loop below reads it
    LATCHKEY_CRASH_AT=$1 "$latchkey" signin --provider cli --no-browser >"$work/out" 2>"$work/err" </dev/null &
    pid=$!
    local url=""
    for _ in $(seq 1 100); do
        url=$(sed -n 's/^  \(http[^ ]*\)$/\1/p' "$work/out")
        [[ -n $url ]] && break
        sleep 0.1
    done
    [[ -n $url ]] || fail "signin printed no URL: $(cat "$work/err")"
    # A killed app never answers its browser tab: the driver may report that.
    "$LATCHKEY_TEST_BROWSER" "$url" --login "$2" >"$work/browser" 2>&1 || [[ -n $1 ]] ||
        fail "browser driver: $(cat "$work/browser")"
}

# signin --email $2; types the emailed code unless the process dies first. LATCHKEY_CRASH_AT=$1.
email_signin() {
    local before; before=$(mails)
    rm -f "$work/stdin"; mkfifo "$work/stdin"
    LATCHKEY_CRASH_AT=$1 "$latchkey" signin --email "$2" <"$work/stdin" >"$work/out" 2>"$work/err" &
    pid=$!
    exec 3>"$work/stdin"
    for _ in $(seq 1 100); do [[ $(mails) -gt $before ]] && break; sleep 0.1; done
    [[ $(mails) -gt $before ]] || fail "no email arrived: $(cat "$work/err")"
    echo "$(newest_code)" >&3 2>/dev/null || true
    exec 3>&-
}

# --- OpenID Connect sign-in -------------------------------------------------------------------

# Tokens issued, nothing stored yet.
fresh oidc-token-response
oidc_signin oidc-token-response crash1
expect_killed_at oidc-token-response
restart_expect out

# The user and account rows exist, no tokens yet: a user without a session is plainly signed out.
fresh oidc-account-linked
oidc_signin oidc-account-linked crash2
expect_killed_at oidc-account-linked
[[ $(sql "select count(*) from accounts") -eq 1 ]] || fail "the account row was not written"
restart_expect out

# The session token in the keyring, no row yet; the provider tokens come only after the session.
fresh oidc-session-token-stored
oidc_signin signin-session-token-stored crash4
expect_killed_at signin-session-token-stored
keys | grep -qE "^session/[0-9]+$" || fail "no session entry before the restart"
[[ $(sql "select count(*) from sessions") -eq 0 ]] || fail "a session row before the restart"
[[ -z $(keys | grep '^tok/' || true) ]] || fail "provider tokens before the session: $(token_keys)"
restart_expect out

# The session complete, the process killed before it said so and before the provider tokens were
# written: the restart is signed in, with no provider tokens and no account noted as holding any.
fresh oidc-session-row-created
oidc_signin signin-session-row-created crash5
expect_killed_at signin-session-row-created
restart_expect in
grep -q "crash5@example.com" "$work/status" || fail "signed in as someone else: $(cat "$work/status")"
[[ -z $(keys | grep '^tok/' || true) ]] || fail "provider tokens without their write: $(token_keys)"
[[ $(sql "select count(*) from accounts where tokens_stored_at is not null") -eq 0 ]] ||
    fail "an account is noted as holding tokens it never got"

# Signed in, provider tokens stored, killed before exiting: the restart is signed in with them,
# and they still work at the provider (nothing took them for leftovers).
fresh oidc-provider-tokens-stored
oidc_signin oidc-provider-tokens-stored crash3
expect_killed_at oidc-provider-tokens-stored
restart_expect in
access=$(stored_token access) || fail "no access token stored"
stored_token refresh >/dev/null || fail "no refresh token stored"
alive "$access" || fail "the stored access token no longer works after the restart"

# A second account's sign-in killed before its session row: the restart has nobody active, the
# first account is still signed in on this computer with its provider tokens, and the second one
# never got any.
fresh second-account
oidc_signin "" first
wait "$pid" || fail "the first sign-in exited $?: $(cat "$work/err")"; pid=""
first_refresh=$(stored_token refresh) || fail "the first sign-in stored no refresh token"
oidc_signin signin-session-token-stored second
expect_killed_at signin-session-token-stored
[[ $(keys | grep -c '^tok/cli/.*/refresh$') -eq 1 ]] || fail "provider tokens of the second account: $(token_keys)"
rc=0; "$latchkey" status >"$work/status" 2>&1 || rc=$?
[[ $rc -eq 3 ]] || fail "the restart after the second account's crash exited $rc: $(cat "$work/status")"
grep -q "Signed in on this computer: first@example.com" "$work/status" || fail "the first account is not offered: $(cat "$work/status")"
[[ $(sql "select count(*) from sessions") -eq 1 ]] || fail "session rows: $(sql "select count(*) from sessions")"
[[ $(keys | grep -cE '^session/') -eq 1 ]] || fail "session entries: $(token_keys)"
"$latchkey" switch first@example.com >/dev/null || fail "switching to the first account"
"$latchkey" status | grep -q "Signed in as first@example.com" || fail "the first account's session is gone"
[[ $(stored_token refresh) == "$first_refresh" ]] || fail "the first account's provider tokens are gone"
revoked "$first_refresh" && fail "the first account's refresh token was revoked"

# --- Sign-out ---------------------------------------------------------------------------------

for step in signout-session-row-removed signout-session-token-removed signout-provider-tokens-erased; do
    fresh "$step"
    oidc_signin "" "out-$step"
    wait "$pid" || fail "signin exited $?: $(cat "$work/err")"; pid=""
    refresh=$(stored_token refresh) || fail "no refresh token after signing in"
    LATCHKEY_CRASH_AT=$step "$latchkey" signout >"$work/out" 2>"$work/err" &
    pid=$!
    expect_killed_at "$step"
    restart_expect out
    # Even once the entries are erased, the revocation queued before is done by the restart.
    revoked "$refresh" || fail "the refresh token was not revoked"
    [[ $(sql "select count(*) from pending_revocations") -eq 0 ]] || fail "a revocation still waits"
done

# --- Email sign-in ------------------------------------------------------------------------------

# The email sent, the app gone: signing in again with the same address takes that email up again
# (no second email; its code works), rather than refusing a new one as too soon.
fresh email-sent
email_signin email-sent sent@example.com
expect_killed_at email-sent
restart_expect out
code=$(newest_code)
sent=$(mails)
rm -f "$work/stdin"; mkfifo "$work/stdin"
"$latchkey" signin --email sent@example.com <"$work/stdin" >"$work/out" 2>"$work/err" &
pid=$!
exec 3>"$work/stdin"
for _ in $(seq 1 100); do grep -q "Code:" "$work/out" && break; sleep 0.1; done
[[ $(mails) -eq $sent ]] || fail "a second email was sent"
echo "$code" >&3 2>/dev/null ||
    fail "the resumed sign-in ended before reading the code: $(cat "$work/out" "$work/err")"
exec 3>&-
wait "$pid" || fail "the resumed sign-in exited $?: $(cat "$work/err")"; pid=""
grep -q "Signed in as sent@example.com" "$work/out" || fail "resumed sign-in: $(cat "$work/out")"
restart_expect in

# The code used up, the user made, no session yet.
fresh email-redeemed
email_signin email-redeemed redeemed@example.com
expect_killed_at email-redeemed
[[ $(sql "select count(*) from users") -eq 1 ]] || fail "the user was not written"
restart_expect out

# The session token in the keyring, no row yet.
fresh email-session-token-stored
email_signin signin-session-token-stored stored@example.com
expect_killed_at signin-session-token-stored
keys | grep -qE "^session/[0-9]+$" || fail "no session entry before the restart"
restart_expect out

echo "PASS: every crash point leaves a state the next start handles"
