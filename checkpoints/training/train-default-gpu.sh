#!/usr/bin/env bash
# Fine-tunes the shipped default model on a CUDA host within a wall-clock budget, from the bundle that
# prepare-gpu-bundle.sh makes (no .NET or photo packages needed there, only PyTorch's libraries).
#
#   RUN=/tmp/run BUDGET=450s checkpoints/training/train-default-gpu.sh [extra train options...]
#
# The schedule (warm-up, cosine to the floor) is fitted to BUDGET after the first updates are timed; the run evaluates
# on the held-out photos of the bundle every 500 updates. Then checkpoints/training/ship-default.sh (RUN=…,
# or the file you choose) copies the weights here.
#
# The shipped default came from two runs on one H200 (checkpoints/MODEL_CARD.md):
#   h200-a: RUN=/tmp/run BUDGET=450s checkpoints/training/train-default-gpu.sh            (from the CPU weights)
#   h200-b: RUN=/tmp/run BUDGET=430s LR=3.5e-4 SEED=6 INIT=.gpu/init.safetensors \
#           checkpoints/training/train-default-gpu.sh                                     (from h200-a's step 1,000)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
GPU_DIR="${GPU_DIR:-$repo/.gpu}"
RUN="${RUN:-/tmp/sparsevit-gpu-run}"
bin="$(mktemp -d)"
tar -xJf "$GPU_DIR/sparsevit.tar.xz" -C "$bin"
export SPARSEVIT_LIBTORCH="${SPARSEVIT_LIBTORCH:-$(python3 -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')}"
# Server GC: the sample workers allocate image buffers without pause (run h200-b used it; h200-a did not).
export DOTNET_gcServer="${DOTNET_gcServer:-1}"
"$bin/sparsevit" --version
mkdir -p "$RUN"
exec "$bin/sparsevit" train --device "${DEVICE:-cuda}" --config compact \
  --photos "$GPU_DIR/photos" --eval-photos "$GPU_DIR/photos" \
  --init "${INIT:-$repo/checkpoints/default/sparsevit-default.safetensors}" \
  --steps "${STEPS:-100000}" --time-budget "${BUDGET:-450s}" --batch-size "${BATCH:-16}" --accumulate 1 \
  --lr "${LR:-5e-4}" --min-lr 1e-5 --warmup 100 --weight-decay 0.05 --layer-scale-init 0.1 --dice-weight 1 \
  --save-every 500 --eval-every 500 --eval-count "${EVAL_COUNT:-200}" --log-every 50 --seed "${SEED:-5}" \
  --output "$RUN" --format safetensors --fp16 --resume "$@"
