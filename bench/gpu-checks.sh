#!/usr/bin/env bash
# The checks and timings that need an NVIDIA GPU, in one run. CI has no GPU: run this wherever one is at hand.
#   1. the CPU-vs-CUDA twin tests (ctest's label "gpu"), each binary run directly so a build made elsewhere works
#   2. ntk_bench --backend cuda: κ of four NB201 cells, exact and frozen BN coupling; the frozen supernet NTK as 1, 8
#      and 25 batched candidates per call
#   3. the TE-NAS NB201 search on cuda, exact and frozen, with its per-round times; frozen also one candidate per
#      call (--candidates-per-call 1), against the default batched candidates (32 per call on cuda)
#   4. the PyTorch peer on the same GPU, when python3 has a CUDA PyTorch: the same cells' κ and regions, and one
#      pruning round of the exact search (jnas's round 1 does the same work)
# Every step has a time limit, so a slow or hung step costs its own result only. Logs go to OUT_DIR; a summary
# of each step's status and time comes last.
#
# Usage: bench/gpu-checks.sh [OUT_DIR]
# Environment: JNAS_BUILD (default build/, configured with JNAS_CUDA=ON and the GPU's arch in JNAS_CUDA_ARCHS),
# JAVA (default $JAVA_HOME/bin/java), JNAS_CLASSPATH (default java-core's built classes and jars), PYTHON
# (default python3), NB201_TABLE (default ../shared/data/nb201-accuracy.csv), SEEDS (searches; default "0"),
# PEERS (0 skips the PyTorch peer; default 1).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT_DIR="${1:-$ROOT/build/gpu-checks}"
BUILD="${JNAS_BUILD:-$ROOT/build}"
JAVA="${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}"
CLASSPATH_="${JNAS_CLASSPATH:-$ROOT/java-core/target/classes:$ROOT/java-core/target/lib/*}"
PYTHON="${PYTHON:-python3}"
TABLE="${NB201_TABLE:-$ROOT/../shared/data/nb201-accuracy.csv}"
SEEDS="${SEEDS:-0}"
LIBRARY="$BUILD/native/lib/libjnas.so"
mkdir -p "$OUT_DIR"
SUMMARY=()

# step NAME LIMIT_S COMMAND...: runs it with its output in OUT_DIR/NAME.log, records status and seconds.
step() {
  local name="$1" limit="$2" start status
  shift 2
  echo "=== $name: $*"
  start=$(date +%s%N)
  timeout "$limit" "$@" > "$OUT_DIR/$name.log" 2>&1
  status=$?
  local millis=$(( ($(date +%s%N) - start) / 1000000 ))
  tail -n 25 "$OUT_DIR/$name.log"
  case $status in 0) status=ok ;; 77) status=skipped ;; 124) status="TIMEOUT ${limit}s" ;; *) status="FAILED ($status)" ;; esac
  SUMMARY+=("$(printf '%-28s %-16s %6d.%01d s' "$name" "$status" $((millis / 1000)) $((millis % 1000 / 100)))")
}

CLI=("$JAVA" --enable-native-access=ALL-UNNAMED -Djnas.library="$LIBRARY" -cp "$CLASSPATH_" dev.jnas.cli.Main)

nvidia-smi -L || echo "nvidia-smi: none"

for test in test_gpu_twins test_gpu_metrics test_gpu_mbconv; do
  step "$test" 300 "$BUILD/native/tests/$test"
done

step ntk-bench-cuda 240 "$BUILD/bench/native/ntk_bench" --backend cuda --runs 5
for groups in 1 8 25; do  # batched candidates: the frozen supernet NTK per candidate, one call for all
  step "ntk-bench-cuda-groups$groups" 120 "$BUILD/bench/native/ntk_bench" --backend cuda --runs 5 --cell supernet \
    --modes frozen --groups "$groups"
done

"${CLI[@]}" version > "$OUT_DIR/version.log" 2>&1; cat "$OUT_DIR/version.log"
step devices 60 "${CLI[@]}" devices
table=()
[[ -f "$TABLE" ]] && table=(--nb201-table "$TABLE")
for seed in $SEEDS; do
  for coupling in exact frozen; do
    step "search-$coupling-seed$seed" 300 "${CLI[@]}" search tenas --backend cuda --bn-coupling "$coupling" \
      --dataset synthetic --seed "$seed" --store "$OUT_DIR/store-$coupling-$seed.db" "${table[@]}"
  done
  step "search-frozen-one-by-one-seed$seed" 300 "${CLI[@]}" search tenas --backend cuda --bn-coupling frozen \
    --candidates-per-call 1 --dataset synthetic --seed "$seed" --store "$OUT_DIR/store-frozen-1-$seed.db" "${table[@]}"
done

if [[ "${PEERS:-1}" == 0 ]]; then
  SUMMARY+=("peer                         skipped: PEERS=0")
elif "$PYTHON" -c 'import sys, torch; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
  cells=(
    "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|"
    "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|"
    "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|"
    "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|"
  )
  step peer-kappa-regions-cuda 240 "$PYTHON" "$ROOT/bench/peer/kappa_regions.py" --device cuda --threads 1 \
    --warmup 1 --runs 3 "${cells[@]}"
  step peer-pruning-round-cuda 300 "$PYTHON" "$ROOT/bench/peer/pruning_round.py" --device cuda --threads 1 \
    --warmup 1 --runs 1
else
  SUMMARY+=("peer                         skipped: python3 has no CUDA PyTorch")
fi

echo "=== summary (logs in $OUT_DIR)"
printf '%s\n' "${SUMMARY[@]}"
