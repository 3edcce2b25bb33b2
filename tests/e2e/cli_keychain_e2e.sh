#!/usr/bin/env bash
# The command line tells the truth about the keychain (docs/security.md, keychain), with the real
# keyring and SMTP sink:
#   1. a keychain that cannot store the session: signin exits 1 with the keychain's message, and
#      leaves no session row behind;
#   2. a session that expired: status says so (exit 3) and has removed the keychain entry before
#      the process ends;
#   3. a keyring that is locked at start (our own gnome-keyring, started and then locked):
#      status says the keyring is locked (exit 1), never "Not signed in".
set -euo pipefail
latchkey=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
: "${LATCHKEY_TEST_MAILDIR:?run inside tests/harness/with-services}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export LATCHKEY_DATA_DIR=$work/data XDG_CONFIG_HOME=$work/config
export LATCHKEY_KEYCHAIN_SERVICE=latchkey-cli-keychain-e2e-$$
export EMAIL_SERVER=smtps://127.0.0.1:$LATCHKEY_TEST_SMTPS_PORT EMAIL_CA_FILE=$LATCHKEY_TEST_CA_FILE
export EMAIL_FROM="Latchkey <no-reply@example.com>"
fail() { echo "FAIL: $*" >&2; exit 1; }
mails() { /usr/bin/python3 "$here/mailtool.py" "$LATCHKEY_TEST_MAILDIR" --count; }
session_rows() {
    /usr/bin/python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from sessions").fetchone()[0])' \
        "$LATCHKEY_DATA_DIR/latchkey.db"
}

# signin --email ADDRESS, typing the emailed code; extra environment in "$@". Sets $rc.
signin_by_email() {
    local address=$1; shift
    local before; before=$(mails)
    rm -f "$work/stdin"; mkfifo "$work/stdin"
    env "$@" "$latchkey" signin --email "$address" <"$work/stdin" >"$work/out" 2>"$work/err" &
    local pid=$!
    exec 3>"$work/stdin"
    for _ in $(seq 1 100); do [[ $(mails) -gt $before ]] && break; sleep 0.1; done
    [[ $(mails) -gt $before ]] || fail "no email arrived for $address: $(cat "$work/err")"
    local code
    code=$(/usr/bin/python3 "$here/mailtool.py" "$LATCHKEY_TEST_MAILDIR" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["code"])')
    echo "$code" >&3
    exec 3>&-
    rc=0; wait "$pid" || rc=$?
}

# 1. No keychain at all (no D-Bus session bus): the session could only live in this process.
signin_by_email nokeychain@example.com DBUS_SESSION_BUS_ADDRESS=unix:path=$work/no-bus
[[ $rc -eq 1 ]] || fail "signin without a keychain exited $rc: $(cat "$work/out" "$work/err")"
grep -q "Signed in" "$work/out" && fail "signin without a keychain said: $(cat "$work/out")"
grep -qi "keychain" "$work/err" || fail "no keychain message: $(cat "$work/err")"
[[ $(session_rows) -eq 0 ]] || fail "$(session_rows) session rows left behind"

# 2. A session that has run out: status says so, and the entry is gone when status has exited.
signin_by_email expiring@example.com LATCHKEY_SESSION_MAX_AGE=2 LATCHKEY_SESSION_UPDATE_AGE=1
[[ $rc -eq 0 ]] || fail "signin exited $rc: $(cat "$work/err")"
active=$(/usr/bin/python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select user_id from device_accounts where active = 1").fetchone()[0])' \
    "$LATCHKEY_DATA_DIR/latchkey.db")
secret-tool lookup server "$LATCHKEY_KEYCHAIN_SERVICE" user "session/$active" >/dev/null || fail "no session stored"
sleep 3
set +e
LATCHKEY_SESSION_MAX_AGE=2 LATCHKEY_SESSION_UPDATE_AGE=1 "$latchkey" status >"$work/out" 2>&1; status=$?
set -e
[[ $status -eq 3 ]] || fail "status of an expired session exited $status: $(cat "$work/out")"
grep -q "expired" "$work/out" || fail "status did not say the session expired: $(cat "$work/out")"
secret-tool lookup server "$LATCHKEY_KEYCHAIN_SERVICE" user "session/$active" >/dev/null &&
    fail "the expired session's keychain entry outlived the command"

# 3. A keyring that is locked at start, on a bus and keyring of our own (the harness's keyring
# stays unlocked for the other tests), while the database says someone is signed in here.
cat >"$work/locked.sh" <<'INNER'
set -euo pipefail
latchkey=$1 work=$2
export XDG_DATA_HOME=$work/keyring
mkdir -p "$XDG_DATA_HOME"
printf %s locked-pw | gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>&1 &
keyring=$!
trap 'kill $keyring 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
    printf x | timeout 5 secret-tool store --label=canary latchkey-locked canary 2>/dev/null && break
    sleep 0.1
done
user=$(/usr/bin/python3 - "$LATCHKEY_DATA_DIR/latchkey.db" <<'PY'
import sqlite3, sys, time
now = int(time.time())
with sqlite3.connect(sys.argv[1]) as db:
    user = db.execute("INSERT INTO users (email, created_at, updated_at) VALUES ('locked@example.com', ?, ?)", (now, now)).lastrowid
    db.execute("INSERT INTO device_accounts (user_id, active, last_used_at) VALUES (?, 1, ?)", (user, now))
print(user)
PY
)
printf stored-token | secret-tool store --label=session server "$LATCHKEY_KEYCHAIN_SERVICE" user "session/$user"
collection=$(dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets \
    org.freedesktop.Secret.Service.ReadAlias string:default | sed -n 's/.*object path "\(.*\)"/\1/p')
dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets \
    org.freedesktop.Secret.Service.Lock "array:objpath:$collection" >/dev/null
rc=0; "$latchkey" status >"$work/out" 2>"$work/err" || rc=$?
echo "$rc" >"$work/rc"
INNER
dbus-run-session -- bash "$work/locked.sh" "$latchkey" "$work"
status=$(cat "$work/rc")
[[ $status -eq 1 ]] || fail "status with a locked keyring exited $status: $(cat "$work/out" "$work/err")"
grep -q "keyring is locked" "$work/err" || fail "no locked message: $(cat "$work/err")"
grep -q "Not signed in" "$work/out" && fail "a locked keyring was reported as signed out"
echo "1 passed, 0 failed"
