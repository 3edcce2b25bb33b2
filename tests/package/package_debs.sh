#!/usr/bin/env bash
# The Debian packages of this build tree, as scripts/package makes them (CPack, packaging/):
# `latchkey` and `liblatchkey-dev` are built into BUILD_DIR/packages, hold what they must (the
# app, its module and libraries, the desktop entry, SVG and PNG icons, metainfo, man page,
# copyright; the headers, development links and CMake package), and pass lintian (no error),
# desktop-file-validate and appstreamcli validate.
# usage: package_debs.sh BUILD_DIR
set -euo pipefail
build=$1
out=$build/packages
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

rm -rf "$out"
cpack --config "$build/CPackConfig.cmake" -G DEB -B "$out" >"$work/cpack.log" 2>&1 ||
    fail "cpack: $(tail -30 "$work/cpack.log")"
app=$(ls "$out"/latchkey_*.deb 2>/dev/null) || fail "no latchkey_*.deb: $(ls "$out")"
dev=$(ls "$out"/liblatchkey-dev_*.deb 2>/dev/null) || fail "no liblatchkey-dev_*.deb: $(ls "$out")"

contents() { dpkg-deb -c "$1" | awk '{ print $6 }' | sed 's|^\./|/|'; }
has() { # has <deb> <path regex>...
    local deb=$1; shift
    contents "$deb" >"$work/contents"
    for path in "$@"; do
        grep -qE "^$path\$" "$work/contents" || fail "$(basename "$deb") lacks $path"
    done
}
has "$app" /usr/bin/latchkey '/usr/lib/(.*/)?latchkey/liblatchkey-window\.so' \
    '/usr/lib/(.*/)?liblatchkey\.so\.[0-9.]+' '/usr/lib/(.*/)?liblatchkey-widgets\.so\.[0-9.]+' \
    /usr/share/applications/latchkey.desktop /usr/share/icons/hicolor/scalable/apps/latchkey.svg \
    /usr/share/icons/hicolor/48x48/apps/latchkey.png /usr/share/icons/hicolor/256x256/apps/latchkey.png \
    /usr/share/metainfo/io.latchkey.Latchkey.metainfo.xml /usr/share/man/man1/latchkey.1.gz \
    /usr/share/doc/latchkey/copyright
has "$dev" /usr/include/latchkey/client.h /usr/include/latchkey/widgets/signinwidget.h \
    '/usr/lib/(.*/)?liblatchkey\.so' '/usr/lib/(.*/)?cmake/Latchkey/LatchkeyConfig\.cmake' \
    /usr/share/doc/liblatchkey-dev/copyright
# The development links live in -dev only, the libraries in the app's package only.
contents "$app" >"$work/app"
contents "$dev" >"$work/dev"
! grep -E '^/usr/include/|/liblatchkey(-widgets)?\.so$|/cmake/' "$work/app" || fail "latchkey holds development files"
! grep -E '\.so\.[0-9]' "$work/dev" || fail "liblatchkey-dev holds the libraries"
# The icon's PNG sizes are the size their folder says.
dpkg-deb -x "$app" "$work/root"
for png in "$work"/root/usr/share/icons/hicolor/*x*/apps/latchkey.png; do
    size=$(basename "$(dirname "$(dirname "$png")")")
    [[ $(identify -format '%wx%h' "$png") == "$size" ]] || fail "$png is not $size"
done
depends=$(dpkg-deb -f "$app" Depends)
[[ $depends == *libqt6core6* ]] || fail "no dependencies from the binaries (shlibdeps): $depends"
[[ $depends == *libsecret-1-0* ]] || fail "libsecret-1-0 (loaded at run time) is not a dependency: $depends"

desktop-file-validate "$work/root/usr/share/applications/latchkey.desktop" >"$work/desktop.log" 2>&1 ||
    fail "desktop-file-validate: $(cat "$work/desktop.log")"
grep -E 'error|warning' "$work/desktop.log" && fail "desktop-file-validate: $(cat "$work/desktop.log")"
appstreamcli validate --no-net "$work/root/usr/share/metainfo/io.latchkey.Latchkey.metainfo.xml" \
    >"$work/appstream.log" 2>&1 || fail "appstreamcli validate: $(cat "$work/appstream.log")"

lintian --fail-on error --tag-display-limit 0 "$app" "$dev" >"$work/lintian.log" 2>&1 ||
    fail "lintian: $(cat "$work/lintian.log")"
cat "$work/lintian.log"
echo "ok: $(basename "$app") $(basename "$dev")"
