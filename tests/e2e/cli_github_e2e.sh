#!/usr/bin/env bash
# Sign in with GitHub (plain OAuth 2.0, no OpenID Connect) end to end with the command line, the
# GitHub stand-in (tests/harness/github/standin.mjs), the real keyring and the browser driver:
# the authorization URL (PKCE + state, no nonce, no openid) → alice signs in → a new user with her
# verified email, identity = the numeric GitHub id → again → the same user → refresh hands the
# token back → signout revokes it at GitHub → an unverified primary address that an email user
# owns is not linked to that user → a refused unverified address and a cancel give clear errors
# and no session.
set -euo pipefail
latchkey=$1
: "${LATCHKEY_TEST_GITHUB_URL:?run inside tests/harness/with-services}"
: "${LATCHKEY_TEST_BROWSER:?run inside tests/harness/with-services}"
work=$(mktemp -d)
signin=""
cleanup() {
    [[ -z $signin ]] || kill "$signin" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
export LATCHKEY_DATA_DIR=$work/data XDG_CONFIG_HOME=$work/config
export LATCHKEY_KEYCHAIN_SERVICE=latchkey-cli-github-e2e-$$
export LATCHKEY_ALLOW_HTTP_LOOPBACK_ISSUER=1
export GITHUB_ID=$LATCHKEY_TEST_GITHUB_CLIENT_ID GITHUB_SECRET=$LATCHKEY_TEST_GITHUB_CLIENT_SECRET
export GITHUB_URL=$LATCHKEY_TEST_GITHUB_URL GITHUB_API_URL=$LATCHKEY_TEST_GITHUB_API_URL
unset EMAIL_SERVER OIDC_PROVIDERS
fail() { echo "FAIL: $*" >&2; exit 1; }
keys() { secret-tool search --all server "$LATCHKEY_KEYCHAIN_SERVICE" 2>&1 | sed -n 's/^attribute\.user = //p' | sort; }
sql() { /usr/bin/python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); r=c.execute(sys.argv[2]).fetchall(); c.commit(); print("\n".join("|".join("" if v is None else str(v) for v in row) for row in r))' "$LATCHKEY_DATA_DIR/latchkey.db" "$1"; }
session_json() { "$latchkey" session --json >"$work/session.json" || fail "session --json"; }
json() { /usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$work/session.json" "$1"; }

# Starts `signin --provider github --no-browser` in the background (pid in $signin) and sets $url.
start_signin() {
    : >"$work/out"
    "$latchkey" signin --provider github --no-browser >"$work/out" 2>"$work/err" </dev/null &
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
    grep -q '"path":"/callback/github","status":200,"heading":"Signed in"' "$work/browser" ||
        fail "browser landed on: $(cat "$work/browser")"
    local rc=0; wait "$signin" || rc=$?; signin=""
    [[ $rc -eq 0 ]] || fail "signin as $1 exited $rc: $(cat "$work/err")"
}
# Starts a sign-in as $1 (browser flags in $2...) that must fail; its stderr is in $work/err.
signin_fails() {
    start_signin
    "$LATCHKEY_TEST_BROWSER" "$url" "$@" >"$work/browser" 2>"$work/browser.err" ||
        fail "browser driver ($*): $(cat "$work/browser.err")"
    local rc=0; wait "$signin" || rc=$?; signin=""
    [[ $rc -ne 0 ]] || fail "signin ($*) succeeded"
    set +e; "$latchkey" status >/dev/null; local status=$?; set -e
    [[ $status -eq 3 ]] || fail "status exit $status after a failed sign-in ($*)"
}

# 1. The authorization URL: GitHub's authorize endpoint, PKCE S256 and state, no OpenID Connect.
start_signin
[[ $url == "$LATCHKEY_TEST_GITHUB_URL/login/oauth/authorize?"* ]] || fail "not GitHub's authorize URL: ${url%%\?*}"
[[ $url == *"code_challenge_method=S256"* && $url == *"&code_challenge="* && $url == *"&state="* ]] ||
    fail "no PKCE or state in the URL"
[[ $url != *"nonce="* && $url != *"openid"* ]] || fail "an OpenID Connect parameter was sent to GitHub"
[[ $url == *"redirect_uri=http%3A%2F%2F127.0.0.1%3A"*"%2Fcallback%2Fgithub"* ]] || fail "redirect URI"
grep -q "GitHub" "$work/out" || fail "the provider label is not shown: $(cat "$work/out")"
kill "$signin"; wait "$signin" 2>/dev/null || true; signin=""

# 2. alice signs in: a new user with her verified email, identified by her numeric GitHub id.
signin_as alice
grep -q "Signed in as alice@users.example.com" "$work/out" || fail "signin output: $(cat "$work/out")"
session_json
[[ $(json 'd["user"]["name"]') == "Alice" ]] || fail "name: $(cat "$work/session.json")"
[[ $(json 'd["methods"]') == "['github']" ]] || fail "methods: $(cat "$work/session.json")"
[[ $(json 'd["accounts"][0]["provider"]') == github ]] || fail "account provider"
[[ $(json 'd["accounts"][0]["issuer"]') == "$LATCHKEY_TEST_GITHUB_URL" ]] || fail "issuer: $(cat "$work/session.json")"
sub=$(json 'd["accounts"][0]["sub"]')
[[ $sub =~ ^[0-9]+$ ]] || fail "the identity is not GitHub's numeric id: $sub"
alice=$(sql "SELECT id FROM users WHERE email = 'alice@users.example.com' AND email_verified IS NOT NULL")
[[ -n $alice ]] || fail "alice's verified email was not recorded"
access_key=$(keys | grep '^tok/github/.*/access$' || true)
[[ -n $access_key ]] || fail "no access token in the keyring (keys: $(keys | tr '\n' ' '))"
token=$(secret-tool lookup server "$LATCHKEY_KEYCHAIN_SERVICE" user "$access_key" | base64 -d)
[[ $token == gho_* ]] || fail "the stored access token is not GitHub's"
[[ -z $(keys | grep '^tok/github/.*/refresh$' || true) ]] || fail "a refresh token was stored for GitHub"

# 3. refresh: nothing to renew, the token is handed back as is (no discovery, no error).
"$latchkey" refresh >"$work/out" 2>"$work/err" || fail "refresh exit $?: $(cat "$work/err")"
[[ $(secret-tool lookup server "$LATCHKEY_KEYCHAIN_SERVICE" user "$access_key" | base64 -d) == "$token" ]] ||
    fail "refresh changed the token"

# 4. A second sign-in as alice: the same user, no second user or account.
signin_as alice
[[ $(sql "SELECT count(*) FROM users") -eq 1 ]] || fail "a second user was made: $(sql 'SELECT id, email FROM users')"
[[ $(sql "SELECT user_id FROM accounts WHERE provider = 'github'") == "$alice" ]] || fail "not the same user"
access_key=$(keys | grep '^tok/github/.*/access$')
token=$(secret-tool lookup server "$LATCHKEY_KEYCHAIN_SERVICE" user "$access_key" | base64 -d)

# 5. Sign-out erases the token and revokes it at GitHub (DELETE /applications/{client_id}/token).
check_token() { # prints the HTTP status of GitHub's "check a token" for $1
    curl -s -o /dev/null -w '%{http_code}' -X POST -u "$GITHUB_ID:$GITHUB_SECRET" \
        -H 'User-Agent: latchkey-e2e' -H 'Content-Type: application/json' \
        --data "{\"access_token\":\"$1\"}" "$LATCHKEY_TEST_GITHUB_API_URL/applications/$GITHUB_ID/token"
}
[[ $(check_token "$token") == 200 ]] || fail "the token is not valid at GitHub before sign-out"
"$latchkey" signout >"$work/out" 2>"$work/err" || fail "signout: $(cat "$work/err")"
[[ -z $(keys | grep -E '^(session|tok/)' || true) ]] || fail "keychain entries left after signout: $(keys | tr '\n' ' ')"
[[ $(check_token "$token") == 404 ]] || fail "the token still works at GitHub after sign-out"
[[ $(sql "SELECT count(*) FROM pending_revocations") -eq 0 ]] || fail "the revocation stayed queued"

# 6. unverified-bob's primary address is unverified; an email user owns that address. The
# sign-in must not land in that user's account (no automatic linking of an unproven address).
sql "INSERT INTO users (name, email, email_verified, created_at, updated_at) VALUES ('Bob by email', 'unverified-bob@users.example.com', 1, 1, 1)" >/dev/null
owner=$(sql "SELECT id FROM users WHERE email = 'unverified-bob@users.example.com'")
signin_as unverified-bob
session_json
[[ $(json 'd["user"]["id"]') != "$owner" ]] || fail "the unverified address was linked to its owner"
[[ $(json 'd["user"]["email"] or ""') == "" ]] || fail "the unverified address was claimed: $(cat "$work/session.json")"
[[ -z $(sql "SELECT id FROM accounts WHERE user_id = $owner") ]] || fail "a GitHub account was linked to the email user"
"$latchkey" signout >/dev/null 2>&1 || fail "signout (bob)"

# 7. GitHub refuses an account whose primary address is unverified: a clear message, no session.
signin_fails --login unverified-refused-carl
grep -q "primary email address is not verified" "$work/err" || fail "unverified_user_email message: $(cat "$work/err")"

# 8. The person cancels at GitHub: a clear message, a failure exit, no session.
signin_fails --deny
grep -q "cancelled" "$work/err" || fail "deny message: $(cat "$work/err")"
echo "1 passed, 0 failed"
