#!/usr/bin/env bash
# The library as a Qt developer gets it: `cmake --install` into a fresh prefix, then
#   1. exactly the public headers are installed (include/latchkey/** of the source tree: a private
#      src/ header that leaks into the install fails here), the shared libraries carry their SONAME,
#      and export nothing but the latchkey namespace's public API;
#   2. examples/notes configures with find_package(Latchkey COMPONENTS Core Widgets) from that
#      prefix alone and builds;
#   3. the same example, driven in process (tests/package/notes-driver), signs in by email against
#      the harness's real SMTP sink and keyring, opens its gated notes view and signs out.
# usage: install_and_build_example.sh BUILD_DIR SOURCE_DIR     (inside tests/harness/with-services)
set -euo pipefail
build=$1
source=$2
: "${LATCHKEY_TEST_MAILDIR:?run inside tests/harness/with-services}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
fail() { echo "FAIL: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$prefix" >"$work/install.log" || fail "cmake --install: $(cat "$work/install.log")"

# 1. The headers: the installed set is the source tree's public set, nothing more, nothing less.
(cd "$source/include" && find latchkey -name '*.h' | sort) >"$work/public"
(cd "$prefix/include" && find . -type f | sed 's|^\./||' | sort) >"$work/installed"
diff -u "$work/public" "$work/installed" >"$work/headers.diff" ||
    fail "installed headers differ from include/latchkey: $(cat "$work/headers.diff")"
for lib in latchkey latchkey-widgets; do
    so=$(ls "$prefix"/lib*/lib$lib.so.*.*.* 2>/dev/null | head -1)
    [[ -n $so ]] || fail "lib$lib.so is not installed"
    soname=$(readelf -d "$so" | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')
    [[ $soname =~ ^lib$lib\.so\.[0-9]+\.[0-9]+$ ]] || fail "lib$lib SONAME is '$soname'"
    # Hidden visibility: no private class of src/ is exported, so none can be linked against.
    # (Class definitions in src/, less the names the public headers mention, such as the
    # ClientAdapters test seam in a public constructor's signature.)
    grep -rhE '^(class|struct) [A-Z][A-Za-z0-9]+[^;]*$' "$source/src" | awk '{ print $2 }' |
        sort -u >"$work/defined"
    grep -rhoE '\b[A-Z][A-Za-z0-9]+\b' "$source/include" | sort -u >"$work/named"
    comm -23 "$work/defined" "$work/named" >"$work/private"
    nm -DC --defined-only "$so" | grep -oE 'latchkey::([a-z]+::)*[A-Z][A-Za-z0-9]+' |
        sed -E 's/^latchkey::([a-z]+::)*//' | sort -u >"$work/exported"
    comm -12 "$work/private" "$work/exported" >"$work/leaked"
    [[ ! -s "$work/leaked" ]] || fail "lib$lib exports private classes: $(tr '\n' ' ' <"$work/leaked")"
    grep -qx Client "$work/exported" || [[ $lib != latchkey ]] || fail "liblatchkey does not export Client"
done

# 2. The example, configured from the installed package alone.
cmake -S "$source/examples/notes" -B "$work/notes" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_BUILD_TYPE=Debug >"$work/notes.log" 2>&1 || fail "configuring examples/notes: $(tail -20 "$work/notes.log")"
cmake --build "$work/notes" >>"$work/notes.log" 2>&1 || fail "building examples/notes: $(tail -30 "$work/notes.log")"
[[ -x $work/notes/notes ]] || fail "examples/notes built no executable"

# 3. The example driven as a person would use it, against the real services.
cmake -S "$source/tests/package/notes-driver" -B "$work/driver" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_BUILD_TYPE=Debug -DLATCHKEY_EXAMPLE_MAIN="$source/examples/notes/main.cpp" \
    >"$work/driver.log" 2>&1 || fail "configuring the driver: $(tail -20 "$work/driver.log")"
cmake --build "$work/driver" >>"$work/driver.log" 2>&1 || fail "building the driver: $(tail -30 "$work/driver.log")"
export LATCHKEY_DATA_DIR=$work/data XDG_CONFIG_HOME=$work/config
export LATCHKEY_KEYCHAIN_SERVICE=latchkey-notes-e2e-$$
export EMAIL_SERVER=smtps://127.0.0.1:$LATCHKEY_TEST_SMTPS_PORT EMAIL_CA_FILE=$LATCHKEY_TEST_CA_FILE
export EMAIL_FROM="Notes <no-reply@example.com>"
export NOTES_DRIVER_EMAIL=notes-$$@example.com
export LATCHKEY_MAILTOOL=$source/tests/e2e/mailtool.py
unset LD_LIBRARY_PATH
ldd "$work/driver/notes_driver" >"$work/ldd"
grep -q "=> $prefix/lib[^ ]*/liblatchkey\.so" "$work/ldd" ||
    fail "the driver does not load the installed library: $(grep latchkey "$work/ldd")"
QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen} timeout 120 "$work/driver/notes_driver" >"$work/run.out" 2>"$work/run.err" ||
    fail "the Notes example did not get through sign-in: $(cat "$work/run.err" | tail -20)"
grep -q "signed in as $NOTES_DRIVER_EMAIL" "$work/run.out" || fail "driver output: $(cat "$work/run.out")"
cat "$work/run.out"
echo "PASS: headers, SONAMEs, find_package, examples/notes built and driven end to end"
