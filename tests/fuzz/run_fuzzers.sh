#!/usr/bin/env bash
# The longer fuzzing campaign: tests/fuzz/run_fuzzers.sh SECONDS [TARGET...]
# Builds the fuzz preset (clang-14, libFuzzer + ASan + UBSan) and runs each target (config, npy, onnx, elf by
# default) for SECONDS seconds over its seed corpus. New interesting inputs stay in build/fuzz/campaign/<target>;
# crashes are written there as crash-*/leak-*/timeout-* and make this script exit 1 (add such an input to the
# unit tests as a regression case, exit 2 expected).
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:?usage: tests/fuzz/run_fuzzers.sh SECONDS [TARGET...]}"
shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(config npy onnx elf)
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
status=0
for t in "${targets[@]}"; do
  echo "== fuzz_$t for ${seconds}s"
  if ! tests/fuzz/run_one.sh "$PWD/build/fuzz/tests/fuzz/fuzz_$t" "$PWD/tests/fuzz/corpus/$t" \
       "$PWD/build/fuzz/campaign/$t" -max_total_time="$seconds"; then
    echo "== fuzz_$t FAILED: see build/fuzz/campaign/$t" >&2
    status=1
  fi
done
exit $status
