#!/bin/sh
# Installs the Debian packages cleaner needs to build and test.
# Root: installs what is missing with apt-get. Otherwise: prints the command.
#
#   scripts/install-deps.sh         what make, make run and make check need
#   scripts/install-deps.sh bench   also what make bench-quality needs: pandoc
#                                   and w3m flatten the HTML pages to Markdown
#                                   and text (pandoc is 170 MB installed, so
#                                   make check does not pull it in)
#   scripts/install-deps.sh train   also what make train needs: Debian's
#                                   scikit-learn, for /usr/bin/python3
set -eu

PACKAGES="gcc make pkg-config python3 valgrind clang \
libgumbo-dev libinotifytools0-dev libcmocka-dev libmd4c-dev libpcre2-dev libvectorscan-dev \
libutf8proc-dev libinih-dev libsystemd-dev libuchardet-dev zlib1g-dev libjansson-dev time \
g++ libcld2-dev"
BENCH_PACKAGES="pandoc w3m"
TRAIN_PACKAGES="python3-sklearn"

case "${1:-}" in
    "") ;;
    bench) PACKAGES="$PACKAGES $BENCH_PACKAGES" ;;
    train) PACKAGES="$PACKAGES $BENCH_PACKAGES $TRAIN_PACKAGES" ;;
    *) echo "usage: install-deps.sh [bench|train]" >&2; exit 2 ;;
esac

missing=""
for p in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
        || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    echo "install-deps: installing$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing
else
    echo "install-deps: missing packages:$missing" >&2
    echo "install-deps: run: sudo apt-get install -y$missing" >&2
    exit 1
fi
