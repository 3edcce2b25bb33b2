#!/usr/bin/env bash
# The command line end to end with the real keyring and SMTP sink:
# signin --email (wrong code, then the right one) → status → data → new process keeps the session →
# signing in as someone else asks first ("n" keeps the session, "y" adds the second account) →
# accounts / switch / signout of one account / signout --all, each session in its own keychain
# entry → status/data say "not signed in" with exit 3 → a missing smtp module is a clear error →
# rate limits say when to try again.
set -euo pipefail
latchkey=$1
here=$(cd "$(dirname "$0")" && pwd)
: "${LATCHKEY_TEST_MAILDIR:?run inside tests/harness/with-services}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export LATCHKEY_DATA_DIR=$work/data XDG_CONFIG_HOME=$work/config
export LATCHKEY_KEYCHAIN_SERVICE=latchkey-cli-e2e-$$
export EMAIL_SERVER=smtps://127.0.0.1:$LATCHKEY_TEST_SMTPS_PORT EMAIL_CA_FILE=$LATCHKEY_TEST_CA_FILE
export EMAIL_FROM="Latchkey <no-reply@example.com>"
fail() { echo "FAIL: $*" >&2; exit 1; }
mails() { /usr/bin/python3 "$here/mailtool.py" "$LATCHKEY_TEST_MAILDIR" --count; }

before=$(mails)
mkfifo "$work/stdin"
"$latchkey" signin --email Kim@Example.com <"$work/stdin" >"$work/out" 2>"$work/err" &
signin=$!
exec 3>"$work/stdin"
for _ in $(seq 1 100); do [[ $(mails) -gt $before ]] && break; sleep 0.1; done
[[ $(mails) -eq $((before + 1)) ]] || fail "no email arrived"
code=$(/usr/bin/python3 "$here/mailtool.py" "$LATCHKEY_TEST_MAILDIR" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["code"])')
[[ $code =~ ^[0-9]{6}$ ]] || fail "no code in the email"
wrong=000000; [[ $code == "$wrong" ]] && wrong=111111
echo "$wrong" >&3
for _ in $(seq 1 50); do grep -q "not right" "$work/err" && break; sleep 0.1; done
grep -q "not right" "$work/err" || fail "a wrong code was not refused: $(cat "$work/err")"
echo "$code" >&3
exec 3>&-
wait "$signin" || fail "signin exited $?: $(cat "$work/err")"
grep -q "Signed in as kim@example.com" "$work/out" || fail "signin output: $(cat "$work/out")"
grep -qF "$code" "$work/err" "$work/out" && fail "the code was printed"

"$latchkey" status | grep -q "Signed in as kim@example.com" || fail "status after sign-in"
"$latchkey" session --json | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["user"]["email"]=="kim@example.com", d' || fail "session --json"
"$latchkey" data | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["user"]=="kim@example.com", d' || fail "data"
session_keys() { secret-tool search --all server "$LATCHKEY_KEYCHAIN_SERVICE" 2>&1 | sed -n 's/^attribute\.user = \(session.*\)/\1/p' | sort | tr '\n' ' '; }
kim_id=$("$latchkey" session --json | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["user"]["id"])')
[[ $(session_keys) == "session/$kim_id " ]] || fail "keychain session entries: $(session_keys)"

# Someone else's email sign-in while kim is signed in: the terminal asks, and "n" keeps kim.
mkfifo "$work/stdin2"
"$latchkey" signin --email lee@example.com <"$work/stdin2" >"$work/out2" 2>"$work/err2" &
signin=$!
exec 3>"$work/stdin2"
for _ in $(seq 1 100); do [[ $(mails) -gt $((before + 1)) ]] && break; sleep 0.1; done
[[ $(mails) -eq $((before + 2)) ]] || fail "no email for lee arrived"
code=$(/usr/bin/python3 "$here/mailtool.py" "$LATCHKEY_TEST_MAILDIR" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["code"])')
echo "$code" >&3
for _ in $(seq 1 50); do grep -q "Switch to" "$work/out2" && break; sleep 0.1; done
grep -q "Switch to lee@example.com? kim@example.com stays signed in" "$work/out2" || fail "no question: $(cat "$work/out2")"
echo "n" >&3
exec 3>&-
set +e; wait "$signin"; switched=$?; set -e
[[ $switched -eq 4 ]] || fail "declining exited $switched: $(cat "$work/err2")"
"$latchkey" status | grep -q "Signed in as kim@example.com" || fail "declining did not keep kim signed in"

# "y" adds ann as a second account on this computer: kim stays signed in, one switch away.
mkfifo "$work/stdin3"
"$latchkey" signin --email ann@example.com <"$work/stdin3" >"$work/out3" 2>"$work/err3" &
signin=$!
exec 3>"$work/stdin3"
for _ in $(seq 1 100); do [[ $(mails) -gt $((before + 2)) ]] && break; sleep 0.1; done
[[ $(mails) -eq $((before + 3)) ]] || fail "no email for ann arrived"
code=$(/usr/bin/python3 "$here/mailtool.py" "$LATCHKEY_TEST_MAILDIR" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["code"])')
echo "$code" >&3
for _ in $(seq 1 50); do grep -q "Switch to" "$work/out3" && break; sleep 0.1; done
echo "y" >&3
exec 3>&-
wait "$signin" || fail "adding ann exited $?: $(cat "$work/err3")"
"$latchkey" status >"$work/status"
grep -q "Signed in as ann@example.com" "$work/status" || fail "status after adding ann: $(cat "$work/status")"
grep -q "Also signed in on this computer: kim@example.com" "$work/status" || fail "status lists no other account: $(cat "$work/status")"
ann_id=$("$latchkey" session --json | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["strategy"]=="database", d; assert d["accounts"]==[{"provider":"email","issuer":"","sub":"ann@example.com"}], d; print(d["user"]["id"])')
[[ $(session_keys) == "$(printf 'session/%s\nsession/%s\n' "$ann_id" "$kim_id" | sort | tr '\n' ' ')" ]] || fail "keychain session entries with two accounts: $(session_keys)"
"$latchkey" accounts --json | /usr/bin/python3 -c '
import json, sys
accounts = json.load(sys.stdin)
assert [(a["email"], a["active"], a["methods"]) for a in accounts] == [("ann@example.com", True, ["email"]), ("kim@example.com", False, ["email"])], accounts' || fail "accounts --json"
"$latchkey" accounts | head -1 | grep -q "^\* ann@example.com" || fail "accounts marks the active one: $("$latchkey" accounts)"

"$latchkey" switch KIM@example.com | grep -q "Now using kim@example.com" || fail "switch to kim"
"$latchkey" status | grep -q "Signed in as kim@example.com" || fail "status after switch"
set +e; "$latchkey" switch nobody@example.com 2>"$work/err"; unknown=$?; set -e
[[ $unknown -eq 3 ]] || fail "switch to an unknown account exit $unknown"
grep -q "nobody@example.com is not signed in on this computer" "$work/err" || fail "unknown account message: $(cat "$work/err")"

# kim's sessions: two more rows in the database (as from other processes); one ended by id, the
# rest with --others; the session in use cannot be ended that way.
/usr/bin/python3 - "$LATCHKEY_DATA_DIR/latchkey.db" "$kim_id" <<'PY'
import os, sqlite3, sys, time
now = int(time.time())
with sqlite3.connect(sys.argv[1]) as db:
    for device in ("tablet", "old laptop"):
        db.execute("INSERT INTO sessions (token_hash, user_id, expires, created_at, last_seen_at, device_name) VALUES (?, ?, ?, ?, ?, ?)", (os.urandom(32), int(sys.argv[2]), now + 86400, now - 60, now - 60, device))
PY
"$latchkey" sessions >"$work/sessions"
[[ $(wc -l <"$work/sessions") -eq 3 ]] || fail "sessions lists: $(cat "$work/sessions")"
grep -q "^\* .*$(hostname)" "$work/sessions" || fail "the current session is not marked: $(cat "$work/sessions")"
read -r current tablet < <("$latchkey" sessions --json | /usr/bin/python3 -c '
import json, sys
s = json.load(sys.stdin)
print(next(x["id"] for x in s if x["current"]), next(x["id"] for x in s if x["device"] == "tablet"))')
"$latchkey" sessions --revoke "$tablet" | grep -q "Ended session $tablet" || fail "sessions --revoke"
set +e; "$latchkey" sessions --revoke "$current" 2>"$work/err"; own=$?; set -e
[[ $own -eq 4 ]] || fail "ending the session in use with --revoke exited $own"
grep -q "is the one in use" "$work/err" || fail "ending the session in use said: $(cat "$work/err")"
"$latchkey" sessions --others | grep -q "Ended 1 other session" || fail "sessions --others"
[[ $("$latchkey" sessions --json | /usr/bin/python3 -c 'import json,sys; print(len(json.load(sys.stdin)))') -eq 1 ]] || fail "sessions left: $("$latchkey" sessions)"

# signout signs the active account (kim) out; ann stays signed in on this computer.
"$latchkey" signout >"$work/out"
grep -q "Signed out" "$work/out" || fail "signout"
grep -q "Still signed in on this computer: ann@example.com" "$work/out" || fail "signout output: $(cat "$work/out")"
[[ $(session_keys) == "session/$ann_id " ]] || fail "keychain after signing kim out: $(session_keys)"
set +e; "$latchkey" status >"$work/status"; status=$?; set -e
[[ $status -eq 3 ]] || fail "status exit $status with no active account"
grep -q "Signed in on this computer: ann@example.com" "$work/status" || fail "status offers no switch: $(cat "$work/status")"
"$latchkey" switch "$ann_id" | grep -q "Now using ann@example.com" || fail "switch by id"
"$latchkey" signout --all | grep -q "Signed out of every account" || fail "signout --all"
[[ -z $(session_keys) ]] || fail "keychain entries left after signout --all: $(session_keys)"
set +e
"$latchkey" status >/dev/null; status=$?
"$latchkey" data >/dev/null 2>"$work/err"; data=$?
"$latchkey" session --json >"$work/json"; session=$?
"$latchkey" signin --email 'a@example.com,b@example.com' 2>"$work/err2" </dev/null; hostile=$?
set -e
[[ $status -eq 3 ]] || fail "status exit $status after signout"
[[ $data -eq 3 ]] || fail "data exit $data after signout"
grep -q "403" "$work/err" || fail "data message: $(cat "$work/err")"
[[ $(cat "$work/json") == "{}" ]] || fail "session --json after signout: $(cat "$work/json")"
[[ $hostile -eq 4 ]] || fail "hostile address exit $hostile"
[[ $(mails) -eq $((before + 3)) ]] || fail "a hostile address reached SMTP"

# Without the smtp module (liblatchkey-smtp.so, loaded on the first send; docs/architecture.md
# "Modules") the sign-in names the missing file and says to reinstall, exits 2 (configuration),
# sends nothing and leaves no token or send-log entry behind.
mkdir "$work/no-modules"
set +e
LATCHKEY_MODULE_DIR=$work/no-modules "$latchkey" signin --email module@example.com </dev/null >"$work/out" 2>"$work/err"; missing=$?
set -e
[[ $missing -eq 2 ]] || fail "missing module exit $missing: $(cat "$work/err")"
grep -q "liblatchkey-smtp.so.*Reinstall Latchkey" "$work/err" || fail "missing module message: $(cat "$work/err")"
[[ $(mails) -eq $((before + 3)) ]] || fail "an email was sent without the module"
/usr/bin/python3 - "$LATCHKEY_DATA_DIR/latchkey.db" <<'PY' || fail "the failed send left a token or a send-log entry"
import sqlite3, sys
with sqlite3.connect(sys.argv[1]) as db:
    for table in ("verification_tokens", "email_send_log"):
        assert db.execute(f"SELECT count(*) FROM {table} WHERE identifier = 'module@example.com'").fetchone()[0] == 0, table
PY

# The same refusals in Korean: the library's typed errors, told in the user's language.
set +e
LATCHKEY_LANGUAGE=ko "$latchkey" data >/dev/null 2>"$work/err"; data=$?
LATCHKEY_LANGUAGE=ko "$latchkey" signin --email 'not an address' 2>"$work/err2" </dev/null; bad=$?
set -e
[[ $data -eq 3 ]] || fail "Korean data exit $data"
grep -q "로그인되어 있지 않습니다.*(403)" "$work/err" || fail "Korean data message: $(cat "$work/err")"
[[ $bad -eq 4 ]] || fail "Korean bad address exit $bad"
grep -q "이메일 주소" "$work/err2" || fail "Korean bad address message: $(cat "$work/err2")"
# Rate limits say when the person may try again: an address cooling down after wrong codes, and
# the install's hourly send limit (rows seeded into the real database file).
db=$LATCHKEY_DATA_DIR/latchkey.db
/usr/bin/python3 - "$db" <<'PY'
import sqlite3, sys, time
now = int(time.time())
with sqlite3.connect(sys.argv[1]) as db:
    db.execute("INSERT INTO email_failures (identifier, consecutive, cooldowns, locked_until, expires, updated_at) VALUES ('cool@example.com', 0, 1, ?, ?, ?)", (now + 900, now + 86400, now))
PY
set +e
"$latchkey" signin --email cool@example.com </dev/null >/dev/null 2>"$work/err"; cooling=$?
set -e
[[ $cooling -eq 4 ]] || fail "cooling address exit $cooling"
grep -Eq "ask for a new email in 1[45] minute" "$work/err" || fail "cooldown message: $(cat "$work/err")"
/usr/bin/python3 - "$db" <<'PY'
import sqlite3, sys, time
now = int(time.time())
with sqlite3.connect(sys.argv[1]) as db:
    db.executemany("INSERT INTO email_send_log (identifier, sent_at) VALUES (?, ?)", [(f"p{i}@example.com", now) for i in range(30)])
PY
set +e
"$latchkey" signin --email fresh@example.com </dev/null >/dev/null 2>"$work/err"; limited=$?
set -e
[[ $limited -eq 4 ]] || fail "send limit exit $limited"
grep -Eq "ask for another in (59|60) minute" "$work/err" || fail "send limit message: $(cat "$work/err")"
[[ $(mails) -eq $((before + 3)) ]] || fail "a rate-limited sign-in reached SMTP"
echo "1 passed, 0 failed"
