#!/usr/bin/env bash
# One bounded libFuzzer run: run_one.sh FUZZER CORPUS WORKDIR [libFuzzer flags...]
# New inputs go to WORKDIR (emptied first), never into the checked-in CORPUS; a crash leaves its input in
# WORKDIR/crash-* and fails the run.
set -euo pipefail
fuzzer="$1" corpus="$2" work="$3"
shift 3
rm -rf "$work"
mkdir -p "$work/new"
cd "$work"
exec "$fuzzer" -seed=1 -rss_limit_mb=2048 -malloc_limit_mb=4096 -timeout=20 -print_final_stats=1 "$@" "$work/new" "$corpus"
