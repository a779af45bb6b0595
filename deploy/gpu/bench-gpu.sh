#!/usr/bin/env bash
# The GPU benchmarks in one command, for the first machine with an NVIDIA GPU: builds the CUDA backend
# (mvn -Pcuda), checks that ND4J loads it on this GPU, then runs bench profile (per-layer and per-op time of a
# training step and an inference batch, 2D and 3D) and bench compare (sparkcae on the GPU beside the PyTorch
# peer, which runs on the CPU unless its script is changed), bench train (plain and Spark local
# averaging) and bench scaling (1 and 2 worker JVMs, unshaped). Everything goes to OUT (default target/gpu-bench): the build log, the JSON lines and tables of
# each bench, and nvidia-smi's view of the GPU. Meant to finish in under 10 minutes on one GPU with the
# Maven repository already warm; the first CUDA build downloads ~1.5 GB of natives.
#
#   deploy/gpu/bench-gpu.sh [OUT]
#   SPARKCAE_GPU_BENCH_STEPS=40   timed steps per case (default 40)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=${1:-$ROOT/target/gpu-bench}
STEPS=${SPARKCAE_GPU_BENCH_STEPS:-40}
if ! [[ "$STEPS" =~ ^[1-9][0-9]{0,3}$ ]]; then
  echo "sparkcae: error: SPARKCAE_GPU_BENCH_STEPS=$STEPS: expected a whole number of steps, 1-9999" >&2
  exit 2
fi
mkdir -p "$OUT"
cd "$ROOT"

if ! command -v nvidia-smi >/dev/null 2>&1 || ! nvidia-smi -L >"$OUT/gpus.txt" 2>&1; then
  echo "sparkcae: error: no usable NVIDIA GPU here (nvidia-smi missing or failing; see $OUT/gpus.txt)" >&2
  exit 5
fi
nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv >>"$OUT/gpus.txt" 2>&1 || true
cat "$OUT/gpus.txt"

echo "building the CUDA backend (log: $OUT/build.log)"
if ! mvn -B -q -DskipTests -Pcuda package >"$OUT/build.log" 2>&1; then
  tail -n 20 "$OUT/build.log" >&2
  echo "sparkcae: error: the -Pcuda build failed; see $OUT/build.log" >&2
  exit 5
fi

export SPARKCAE_BACKEND=cuda
# The machine line every bench prints first names the backend ND4J loaded: refuse to report CPU figures as GPU ones.
deploy/sparkcae bench profile --steps "$STEPS" --out "$OUT/profile.json" >"$OUT/profile.txt" 2>"$OUT/profile.err" || {
  tail -n 5 "$OUT/profile.err" >&2
  echo "sparkcae: error: bench profile failed on the CUDA build; see $OUT/profile.err" >&2
  exit 5
}
if ! head -n 1 "$OUT/profile.txt" | grep -qi 'cuda'; then
  echo "sparkcae: error: ND4J did not load the CUDA backend: $(head -n 1 "$OUT/profile.txt")" >&2
  exit 5
fi
cat "$OUT/profile.txt"
deploy/sparkcae bench compare --steps "$STEPS" >"$OUT/compare.txt" 2>"$OUT/compare.err" && cat "$OUT/compare.txt"
deploy/sparkcae bench train --steps "$STEPS" --workers 1 --batches 128,512 >"$OUT/train.jsonl" 2>"$OUT/train.err" \
  && cat "$OUT/train.jsonl"
# averaging vs gradient sharing on a loopback cluster of 1 and 2 worker JVMs (unshaped: no namespace needed),
# with the fitted scaling model and its projection (docs/scaling.md)
deploy/sparkcae bench scaling --workers 1,2 --rates unlimited --steps "$STEPS" --out "$OUT/scaling.json" \
  >"$OUT/scaling.txt" 2>"$OUT/scaling.err" && cat "$OUT/scaling.txt"
echo "GPU figures in $OUT"
