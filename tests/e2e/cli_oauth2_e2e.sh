#!/usr/bin/env bash
# A generic plain OAuth 2.0 provider (OAUTH2_PROVIDERS) end to end with the command line, the real
# keyring and the browser driver. The harness's OpenID provider stands in for a plain OAuth 2.0
# provider: Latchkey is given only its authorization, token and user endpoints (its userinfo
# endpoint needs the openid scope, so the scopes are configured; any ID token it sends is ignored).
# The authorization URL (PKCE + state, no nonce) → dana signs in → a new user with her verified
# email, identity = (provider, account id) → again (client_secret_post) → the same user → signout → a verified address
# that an email user owns is not linked to that user → a cancel gives a clear error, no session.
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
export LATCHKEY_KEYCHAIN_SERVICE=latchkey-cli-oauth2-e2e-$$
export LATCHKEY_ALLOW_HTTP_LOOPBACK_ISSUER=1
# "other" is one of the harness provider's registered callback ids.
export OAUTH2_PROVIDERS=other OAUTH2_OTHER_ID=latchkey-public OAUTH2_OTHER_NAME="Test OAuth"
export OAUTH2_OTHER_AUTHORIZATION_URL=$LATCHKEY_TEST_OIDC_ISSUER/auth
export OAUTH2_OTHER_TOKEN_URL=$LATCHKEY_TEST_OIDC_ISSUER/token
export OAUTH2_OTHER_USERINFO_URL=$LATCHKEY_TEST_OIDC_ISSUER/me
export OAUTH2_OTHER_SCOPES="openid email profile"
unset EMAIL_SERVER OIDC_PROVIDERS GITHUB_ID GITHUB_SECRET
fail() { echo "FAIL: $*" >&2; exit 1; }
keys() { secret-tool search --all server "$LATCHKEY_KEYCHAIN_SERVICE" 2>&1 | sed -n 's/^attribute\.user = //p' | sort; }
sql() { /usr/bin/python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); r=c.execute(sys.argv[2]).fetchall(); c.commit(); print("\n".join("|".join("" if v is None else str(v) for v in row) for row in r))' "$LATCHKEY_DATA_DIR/latchkey.db" "$1"; }
session_json() { "$latchkey" session --json >"$work/session.json" || fail "session --json"; }
json() { /usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$work/session.json" "$1"; }

# Starts `signin --provider other --no-browser` in the background (pid in $signin) and sets $url.
start_signin() {
    : >"$work/out"
    "$latchkey" signin --provider other --no-browser >"$work/out" 2>"$work/err" </dev/null &
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
# Signs in as $1 through the browser; the sign-in must succeed.
signin_as() {
    start_signin
    "$LATCHKEY_TEST_BROWSER" "$url" --login "$1" >"$work/browser" 2>"$work/browser.err" ||
        fail "browser driver ($1): $(cat "$work/browser.err")"
    grep -q '"path":"/callback/other","status":200,"heading":"Signed in"' "$work/browser" ||
        fail "browser landed on: $(cat "$work/browser")"
    local rc=0; wait "$signin" || rc=$?; signin=""
    [[ $rc -eq 0 ]] || fail "signin as $1 exited $rc: $(cat "$work/err")"
}
# Starts a sign-in (browser flags in $@) that must fail; its stderr is in $work/err.
signin_fails() {
    start_signin
    "$LATCHKEY_TEST_BROWSER" "$url" "$@" >"$work/browser" 2>"$work/browser.err" ||
        fail "browser driver ($*): $(cat "$work/browser.err")"
    local rc=0; wait "$signin" || rc=$?; signin=""
    [[ $rc -ne 0 ]] || fail "signin ($*) succeeded"
    set +e; "$latchkey" status >/dev/null; local status=$?; set -e
    [[ $status -eq 3 ]] || fail "status exit $status after a failed sign-in ($*)"
}

# 1. The authorization URL: the configured endpoint, PKCE S256 and state, no nonce (plain OAuth).
start_signin
[[ $url == "$OAUTH2_OTHER_AUTHORIZATION_URL?"* ]] || fail "not the configured endpoint: ${url%%\?*}"
[[ $url == *"code_challenge_method=S256"* && $url == *"&code_challenge="* && $url == *"&state="* ]] ||
    fail "no PKCE or state in the URL"
[[ $url != *"nonce="* ]] || fail "a nonce was sent to a plain OAuth 2.0 provider"
[[ $url == *"scope=openid%20email%20profile"* || $url == *"scope=openid+email+profile"* ]] ||
    fail "not the configured scopes: $url"
[[ $url == *"redirect_uri=http%3A%2F%2F127.0.0.1%3A"*"%2Fcallback%2Fother"* ]] || fail "redirect URI"
grep -q "Test OAuth" "$work/out" || fail "the provider name is not shown: $(cat "$work/out")"
kill "$signin"; wait "$signin" 2>/dev/null || true; signin=""

# 2. dana signs in: a new user with her verified email; the identity is the user endpoint's `sub`.
signin_as dana
grep -q "Signed in as dana@example.com" "$work/out" || fail "signin output: $(cat "$work/out")"
"$latchkey" status | grep -q "Signed in as dana@example.com" || fail "status after sign-in"
session_json
[[ $(json 'd["user"]["name"]') == "Dana" ]] || fail "name: $(cat "$work/session.json")"
[[ $(json 'd["methods"]') == "['other']" ]] || fail "methods: $(cat "$work/session.json")"
[[ $(json 'd["accounts"][0]["provider"]') == other ]] || fail "account provider"
[[ $(json 'd["accounts"][0]["sub"]') == dana ]] || fail "account id: $(cat "$work/session.json")"
[[ $(json 'd["accounts"][0]["issuer"]') == "$LATCHKEY_TEST_OIDC_ISSUER" ]] || fail "issuer: $(cat "$work/session.json")"
dana=$(sql "SELECT id FROM users WHERE email = 'dana@example.com' AND email_verified IS NOT NULL")
[[ -n $dana ]] || fail "dana's verified email was not recorded"
[[ -n $(keys | grep '^tok/other/.*/access$' || true) ]] || fail "no access token in the keyring (keys: $(keys | tr '\n' ' '))"
[[ -z $(keys | grep '^tok/other/.*/id$' || true) ]] || fail "the provider's ID token was kept"

# 3. A second sign-in as dana, now as the provider's confidential client, with its secret
# (client_secret_post, as registered): the same user, no second user or account.
export OAUTH2_OTHER_ID=latchkey-desktop OAUTH2_OTHER_SECRET=desktop-not-secret
export OAUTH2_OTHER_TOKEN_AUTH_METHOD=client_secret_post
signin_as dana
[[ $(sql "SELECT count(*) FROM users") -eq 1 ]] || fail "a second user was made: $(sql 'SELECT id, email FROM users')"
[[ $(sql "SELECT count(*) FROM accounts") -eq 1 ]] || fail "a second account was made"
[[ $(sql "SELECT user_id FROM accounts WHERE provider = 'other'") == "$dana" ]] || fail "not the same user"

# 4. Sign-out: every session and token entry erased.
"$latchkey" signout >"$work/out" 2>"$work/err" || fail "signout: $(cat "$work/err")"
[[ -z $(keys | grep -E '^(session|tok/)' || true) ]] || fail "keychain entries left after signout: $(keys | tr '\n' ' ')"

# 5. erin@example.com belongs to a user who signs in by email. The provider vouches for the address
# (email_verified: true), but it is still not linked automatically: a clear error, no session.
sql "INSERT INTO users (name, email, email_verified, created_at, updated_at) VALUES ('Erin by email', 'erin@example.com', 1, 1, 1)" >/dev/null
owner=$(sql "SELECT id FROM users WHERE email = 'erin@example.com'")
signin_fails --login erin
grep -q "already belongs to an account that signs in another way" "$work/err" || fail "email in use message: $(cat "$work/err")"
[[ -z $(sql "SELECT id FROM accounts WHERE user_id = $owner") ]] || fail "an account was linked to the email user"

# 6. The person cancels at the provider: a clear message, a failure exit, no session.
signin_fails --deny
grep -q "cancelled" "$work/err" || fail "deny message: $(cat "$work/err")"
echo "1 passed, 0 failed"
