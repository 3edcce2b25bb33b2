#!/usr/bin/env bash
# latchkey's answers before anything starts: --version/--help without a display, exit 2 with a
# message naming the key for bad configuration, exit 2 for bad usage. Nothing is created.
set -uo pipefail
latchkey=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
export HOME=$work XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/data
unset DISPLAY WAYLAND_DISPLAY GOOGLE_ID GOOGLE_SECRET OIDC_PROVIDERS EMAIL_SERVER DATABASE_URL

"$latchkey" --version | grep -qE '^latchkey [0-9]+\.[0-9]+\.[0-9]+$' || fail "--version"
"$latchkey" --help | grep -q "signin --email" || fail "--help lists the commands"

expect() { # expect <exit> <stderr pattern> <command...>
    local want=$1 pattern=$2; shift 2
    "$@" >"$work/out" 2>"$work/err"; local got=$?
    [[ $got -eq $want ]] || fail "$* exited $got, expected $want: $(cat "$work/err")"
    grep -q -- "$pattern" "$work/err" || fail "$*: stderr lacks '$pattern': $(cat "$work/err")"
}
expect 2 "unknown command 'bogus'" "$latchkey" bogus
expect 2 "Unknown option" "$latchkey" status --frobnicate
expect 2 "either --email ADDRESS or --provider ID" "$latchkey" signin
expect 2 "OIDC_ACME_ISSUER" env OIDC_PROVIDERS=acme "$latchkey" status
expect 2 "GOOGLE_SECRET" env GOOGLE_SECRET=x "$latchkey" status
expect 2 "EMAIL_SERVER" env EMAIL_SERVER=http://mail.example.com EMAIL_FROM=a@example.com "$latchkey" status
expect 2 "the issuer must use https" env OIDC_PROVIDERS=a OIDC_A_ISSUER=http://id.example.com OIDC_A_CLIENT_ID=c "$latchkey" status
expect 2 "missing.env" "$latchkey" --env-file "$work/missing.env" status
printf 'this is not a setting\n' >"$work/bad.env"
expect 2 "bad.env line 1" "$latchkey" --env-file "$work/bad.env" status
mkdir -p "$work/config/latchkey"; printf 'EMAIL_SERVR = smtp://x\n' >"$work/config/latchkey/latchkey.conf"
expect 2 "EMAIL_SERVR" "$latchkey" status
# The window refuses the same way before it opens (offscreen: no dialog to click away).
expect 2 "EMAIL_SERVR" env QT_QPA_PLATFORM=offscreen "$latchkey"
expect 2 "--view takes home, dashboard or profile" env QT_QPA_PLATFORM=offscreen "$latchkey" --view settings
expect 2 "--view is for the window" "$latchkey" status --view home
# No desktop session: what to do instead, not Qt's abort; in Korean for a Korean user.
expect 2 "No desktop session found" "$latchkey"
expect 2 "latchkey status" env DISPLAY=:65534 "$latchkey"
expect 2 "데스크톱 세션" env DISPLAY=:65534 LATCHKEY_LANGUAGE=ko "$latchkey"
grep -q "could not connect" "$work/err" && fail "Qt's display messages are shown: $(cat "$work/err")"
# The command line loads no GUI library: the window is a module of its own (ui/main.cpp).
readelf -d "$latchkey" | grep -E 'NEEDED.*libQt6(Gui|Widgets)' && fail "latchkey links Qt Gui or Widgets"
LD_DEBUG=files "$latchkey" status >/dev/null 2>"$work/loaded"
grep -qE 'libQt6(Gui|Widgets)|liblatchkey-window' "$work/loaded" &&
    fail "latchkey status loaded the GUI: $(grep -oE '[^ ]*libQt6(Gui|Widgets)[^ ]*' "$work/loaded" | sort -u)"
grep -q 'libQt6Core' "$work/loaded" || fail "LD_DEBUG saw no library at all (the check above means nothing)"
# A missing window module is said plainly, in the user's language; the command line still works.
mkdir -p "$work/no-modules"
expect 2 "liblatchkey-window.so" env DISPLAY=:65534 LATCHKEY_MODULE_DIR="$work/no-modules" "$latchkey"
grep -q "Reinstall Latchkey" "$work/err" || fail "no advice for a missing module: $(cat "$work/err")"
LATCHKEY_MODULE_DIR="$work/no-modules" "$latchkey" --version >/dev/null || fail "--version needs the window module"
[[ ! -e $work/data/latchkey ]] || fail "a bad configuration created data"
# Quiet by default: a first run creates its database and says so only with --verbose.
rm -rf "$work/config/latchkey"
"$latchkey" status >/dev/null 2>"$work/err"
[[ -e $work/data/latchkey/latchkey.db ]] || fail "status made no database: $(cat "$work/err")"
grep -q "latchkey\.storage" "$work/err" && fail "log lines without --verbose: $(cat "$work/err")"
rm -rf "$work/data/latchkey"
"$latchkey" --verbose status >/dev/null 2>"$work/err"
grep -q "latchkey.storage: database migrated" "$work/err" || fail "--verbose shows no log: $(cat "$work/err")"
"$latchkey" --help | grep -q -- "--verbose" || fail "--help does not list --verbose"
echo "1 passed, 0 failed"
