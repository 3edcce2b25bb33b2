#!/usr/bin/env bash
# The jwt session strategy end to end with the real keyring and SMTP sink: an email sign-in keeps
# an encrypted JWT (dir + A256GCM) in the keychain and no session row; a new process opens it; a
# changed token signs out and is erased; a second account and signout work as with rows; starting
# with the database strategy signs every account out and removes the jwt key.
set -euo pipefail
latchkey=$1
here=$(cd "$(dirname "$0")" && pwd)
: "${LATCHKEY_TEST_MAILDIR:?run inside tests/harness/with-services}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export LATCHKEY_DATA_DIR=$work/data XDG_CONFIG_HOME=$work/config
export LATCHKEY_KEYCHAIN_SERVICE=latchkey-jwt-e2e-$$
export EMAIL_SERVER=smtps://127.0.0.1:$LATCHKEY_TEST_SMTPS_PORT EMAIL_CA_FILE=$LATCHKEY_TEST_CA_FILE
export EMAIL_FROM="Latchkey <no-reply@example.com>"
export LATCHKEY_SESSION_STRATEGY=jwt
fail() { echo "FAIL: $*" >&2; exit 1; }
mails() { /usr/bin/python3 "$here/mailtool.py" "$LATCHKEY_TEST_MAILDIR" --count; }
keys() { secret-tool search --all server "$LATCHKEY_KEYCHAIN_SERVICE" 2>&1 | sed -n 's/^attribute\.user = \(session.*\|jwt-key\)$/\1/p' | sort | tr '\n' ' '; }
entry() { secret-tool lookup server "$LATCHKEY_KEYCHAIN_SERVICE" user "$1" | base64 -d; }
rows() { /usr/bin/python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM sessions").fetchone()[0])' "$LATCHKEY_DATA_DIR/latchkey.db"; }

# signin_email ADDRESS [ANSWER]: an email sign-in with the code from the sink; ANSWER ("y") is
# typed when the terminal asks whether to switch accounts.
signins=0
signin_email() {
    signins=$((signins + 1))
    local before fifo="$work/stdin-$signins"
    before=$(mails)
    mkfifo "$fifo"
    "$latchkey" signin --email "$1" <"$fifo" >"$work/out" 2>"$work/err" &
    local pid=$!
    exec 3>"$fifo"
    for _ in $(seq 1 100); do [[ $(mails) -gt $before ]] && break; sleep 0.1; done
    [[ $(mails) -gt $before ]] || fail "no email for $1 arrived"
    /usr/bin/python3 "$here/mailtool.py" "$LATCHKEY_TEST_MAILDIR" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["code"])' >&3
    if [[ $# -gt 1 ]]; then
        for _ in $(seq 1 50); do grep -q "Switch to" "$work/out" && break; sleep 0.1; done
        echo "$2" >&3
    fi
    exec 3>&-
    wait "$pid" || fail "signin $1 exited $?: $(cat "$work/err")"
}

signin_email kim@example.com
"$latchkey" session --json >"$work/session"
kim_id=$(/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["strategy"]=="jwt", d; assert d["user"]["email"]=="kim@example.com", d; print(d["user"]["id"])' "$work/session") || fail "session --json: $(cat "$work/session")"
[[ $(keys) == "jwt-key session/$kim_id " ]] || fail "keychain entries: $(keys)"
[[ $(rows) -eq 0 ]] || fail "a jwt session wrote $(rows) session rows"
token=$(entry "session/$kim_id")
[[ $(tr -cd . <<<"$token" | wc -c) -eq 4 ]] || fail "the stored session is not a compact JWE"
/usr/bin/python3 -c '
import base64, json, sys
head = sys.argv[1].split(".")[0]
h = json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
assert h == {"alg": "dir", "enc": "A256GCM"}, h' "$token" || fail "JWE header"
grep -q kim <<<"$token" && fail "the session token shows its claims"
"$latchkey" status | grep -q "Signed in as kim@example.com" || fail "a new process does not open the jwt session"
"$latchkey" data >/dev/null || fail "data with a jwt session"

# A changed token (one character of the ciphertext) signs out and is erased.
tampered=$(/usr/bin/python3 -c '
import sys
t = sys.argv[1]; i = t.rindex(".") - 3
print(t[:i] + ("A" if t[i] != "A" else "B") + t[i + 1:])' "$token")
printf %s "$tampered" | base64 -w0 | secret-tool store --label=session server "$LATCHKEY_KEYCHAIN_SERVICE" user "session/$kim_id"
set +e; "$latchkey" status >/dev/null; status=$?; set -e
[[ $status -eq 3 ]] || fail "a tampered jwt exit $status"
[[ $(keys) == "jwt-key " ]] || fail "the tampered token was not erased: $(keys)"

# Two accounts, each its own entry; signout signs the active one out and --all the rest.
signin_email lee@example.com
signin_email ann@example.com y
ann_id=$("$latchkey" session --json | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["user"]["id"])')
"$latchkey" accounts | grep -q "lee@example.com" || fail "accounts: $("$latchkey" accounts)"
"$latchkey" switch lee@example.com | grep -q "Now using lee@example.com" || fail "switch to lee"
"$latchkey" sessions --json | /usr/bin/python3 -c 'import json,sys; s=json.load(sys.stdin); assert len(s)==1 and s[0]["current"], s' || fail "sessions under jwt: $("$latchkey" sessions)"
"$latchkey" signout | grep -q "Still signed in on this computer: ann@example.com" || fail "signout lee"
[[ $(keys) == "jwt-key session/$ann_id " ]] || fail "keychain after signing lee out: $(keys)"

# Back to the database strategy: every account is signed out, the jwt key goes.
set +e; LATCHKEY_SESSION_STRATEGY=database "$latchkey" status >"$work/status"; status=$?; set -e
[[ $status -eq 3 ]] || fail "status after the strategy changed exit $status: $(cat "$work/status")"
grep -q "Signed in on this computer" "$work/status" && fail "accounts kept across strategies: $(cat "$work/status")"
for _ in $(seq 1 20); do [[ -z $(keys) ]] && break; sleep 0.1; done
[[ -z $(keys) ]] || fail "keychain entries left after the strategy changed: $(keys)"
echo "1 passed, 0 failed"
