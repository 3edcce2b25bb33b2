#!/usr/bin/env bash
# One window per data folder, with the real executable on the test display: a second start hands
# its --view to the open window and exits 0 at once; after `kill -9` of the window, the socket it
# left behind is replaced by the next start; another data folder is another window; a window that
# does not answer gets a second one beside it.
set -uo pipefail
latchkey=$1
work=$(mktemp -d)
pids=()
trap 'kill -9 "${pids[@]}" 2>/dev/null; rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
export HOME=$work XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/data XDG_STATE_HOME=$work/state
export XDG_RUNTIME_DIR=$work/runtime LATCHKEY_DATA_DIR=$work/data/one
mkdir -m 700 "$XDG_RUNTIME_DIR"
unset GOOGLE_ID GOOGLE_SECRET OIDC_PROVIDERS EMAIL_SERVER DATABASE_URL
[[ -n "${DISPLAY:-}" ]] || fail "needs the test display (tests/harness/with-services)"

socket() { compgen -G "$XDG_RUNTIME_DIR/latchkey-*.socket" | head -1; }
# True when a window listens on socket $1 (a socket file alone may be left from a crash).
listening() {
    python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).connect(sys.argv[1])' "$1" 2>/dev/null
}
wait_listening() {
    for _ in $(seq 200); do
        [[ -n "$(socket)" ]] && listening "$(socket)" && return 0
        sleep 0.05
    done
    return 1
}
start_window() { "$latchkey" "$@" >>"$work/window.log" 2>&1 & pids+=($!); echo $!; }
# A second start: must hand over and exit 0 within seconds (never become a window itself).
second_start() {
    timeout 10 "$latchkey" "$@" >"$work/second.log" 2>&1
    local status=$?
    [[ $status -eq 0 ]] || fail "second start $* exited $status: $(cat "$work/second.log" "$work/window.log")"
}

first=$(start_window)
wait_listening || fail "the window made no socket: $(cat "$work/window.log")"
[[ $(stat -c %a "$(socket)") =~ ^[67]00$ ]] || fail "the socket is open to others: $(stat -c %a "$(socket)")"
second_start --view profile
second_start
# Something else on the socket gets the connection closed, no answer, and changes nothing.
reply=$(python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(b"GET / HTTP/1.1\r\n\r\n")
print(s.recv(64))' "$(socket)") || fail "the garbage connection failed"
[[ $reply == "b''" ]] || fail "answered garbage with $reply"
kill -0 "$first" 2>/dev/null || fail "the first window ended"
second_start

# Another data folder is another window (it does not hand over to the first): its own socket.
one=$(socket)
LATCHKEY_DATA_DIR=$work/data/two start_window >/dev/null
two=""
for _ in $(seq 200); do
    two=$(compgen -G "$XDG_RUNTIME_DIR/latchkey-*.socket" | grep -vxF "$one" | head -1)
    [[ -n "$two" ]] && break
    sleep 0.05
done
[[ -n "$two" ]] || fail "a second data folder did not get its own window"
LATCHKEY_DATA_DIR=$work/data/two second_start
kill -9 "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null
rm "$two"

# A crash leaves the socket file; the next start takes its place.
kill -9 "$first"; wait "$first" 2>/dev/null
[[ -S "$(socket)" ]] && ! listening "$(socket)" ||
    fail "kill -9 should leave the socket file, unanswered (nothing to test otherwise)"
third=$(start_window --view dashboard)
wait_listening || fail "the next start did not replace the stale socket: $(cat "$work/window.log")"
second_start --view home
kill -0 "$third" 2>/dev/null || fail "the window after the crash ended"

# A window that takes the connection but never answers (hung): the next start waits a few
# seconds, says so and opens its own window rather than nothing.
three=$work/data/three
hung=$XDG_RUNTIME_DIR/latchkey-$(printf %s "$three" | sha256sum | cut -c1-16).socket
python3 -c 'import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(); time.sleep(60)' "$hung" &
pids+=($!)
for _ in $(seq 100); do [[ -S $hung ]] && break; sleep 0.05; done
[[ -S $hung ]] || fail "the hung listener did not start (the socket name is no longer the data folder's hash?)"
LATCHKEY_DATA_DIR=$three "$latchkey" >"$work/hung.log" 2>&1 &
pids+=($!)
for _ in $(seq 200); do grep -q "does not answer" "$work/hung.log" && break; sleep 0.05; done
grep -q "does not answer" "$work/hung.log" || fail "nothing said about the window that does not answer: $(cat "$work/hung.log")"
sleep 1
kill -0 "${pids[-1]}" 2>/dev/null || fail "no window opened beside the hung one: $(cat "$work/hung.log")"
echo "ok"
