#!/usr/bin/env bash
# The packages as a person installs them: `apt-get install ./latchkey_*.deb ./liblatchkey-dev_*.deb`
# on this machine, then the installed `latchkey --version`, `man -w latchkey`, an email sign-in
# end to end with /usr/bin/latchkey (tests/e2e/cli_email_e2e.sh against the real keyring and SMTP
# sink), examples/notes built against the installed -dev package alone; then `apt-get purge`
# leaves no file of either package behind.
# Changes the system: root (or passwordless sudo) only, and never over an installed latchkey.
# usage: package_install.sh BUILD_DIR SOURCE_DIR   (after package_debs.sh, in with-services)
set -euo pipefail
build=$1
source=$2
out=$(cd "$build" && pwd)/packages # apt-get takes a file by its path: ./ or /
: "${LATCHKEY_TEST_MAILDIR:?run inside tests/harness/with-services}"
fail() { echo "FAIL: $*" >&2; exit 1; }
as_root=()
if [[ $EUID -ne 0 ]]; then
    sudo --non-interactive true 2>/dev/null || { echo "skipped: needs root to install packages"; exit 77; }
    as_root=(sudo --non-interactive)
fi
if dpkg-query -W -f='${db:Status-Status}' latchkey liblatchkey-dev 2>/dev/null | grep -q installed; then
    fail "latchkey is installed on this machine already: this test would replace and purge it"
fi
app=$(ls "$out"/latchkey_*.deb) && dev=$(ls "$out"/liblatchkey-dev_*.deb) || fail "run package_debs.sh first"
work=$(mktemp -d)
purge() { "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get purge -y -q latchkey liblatchkey-dev >>"$work/apt.log" 2>&1; }
trap 'purge || true; rm -rf "$work"' EXIT

"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    "$app" "$dev" >"$work/apt.log" 2>&1 || fail "apt-get install: $(tail -30 "$work/apt.log")"
dpkg -L latchkey liblatchkey-dev | sort -u >"$work/files"

[[ $(command -v latchkey) == /usr/bin/latchkey ]] || fail "latchkey is not /usr/bin/latchkey on the PATH"
version=$(dpkg-deb -f "$app" Version)
[[ $(latchkey --version) == "latchkey $version" ]] || fail "latchkey --version: $(latchkey --version)"
[[ $(man -w latchkey) == /usr/share/man/man1/latchkey.1.gz ]] || fail "man -w latchkey: $(man -w latchkey 2>&1)"
! ldd /usr/bin/latchkey /usr/lib/*latchkey*/liblatchkey-window.so 2>/dev/null | grep -q 'not found' ||
    fail "unresolved libraries: $(ldd /usr/bin/latchkey | grep 'not found')"

bash "$source/tests/e2e/cli_email_e2e.sh" /usr/bin/latchkey >"$work/e2e.log" 2>&1 ||
    fail "email sign-in with the installed latchkey: $(tail -20 "$work/e2e.log")"

# The example, from the installed -dev package alone: no prefix given, CMake finds /usr.
cmake -S "$source/examples/notes" -B "$work/notes" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    >"$work/notes.log" 2>&1 || fail "configuring examples/notes: $(tail -20 "$work/notes.log")"
grep -q "Latchkey_DIR:PATH=/usr/lib" "$work/notes/CMakeCache.txt" ||
    fail "examples/notes did not find the installed package: $(grep Latchkey_DIR "$work/notes/CMakeCache.txt")"
cmake --build "$work/notes" >>"$work/notes.log" 2>&1 || fail "building examples/notes: $(tail -30 "$work/notes.log")"
[[ -x $work/notes/notes ]] || fail "examples/notes built no executable"

purge || fail "apt-get purge: $(tail -20 "$work/apt.log")"
left=()
while read -r path; do
    [[ -f $path || -L $path ]] && left+=("$path")
done <"$work/files"
[[ ${#left[@]} -eq 0 ]] || fail "left after purge: ${left[*]}"
dpkg-query -W -f='${db:Status-Status}' latchkey 2>/dev/null | grep -q installed && fail "still installed"
echo "ok: installed, used and purged $(basename "$app") $(basename "$dev")"
