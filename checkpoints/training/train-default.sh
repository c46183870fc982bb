#!/usr/bin/env bash
# Trains (or resumes) the shipped default model on the CPU at the lowest priority. THREADS (default 2) libtorch threads:
# on the 2-core build machine two threads give ~1.6 s per update of four 512² images. State and checkpoints go to $RUN (outside the repository), so any
# later session continues where the last one stopped by running this script again.
#
#   checkpoints/training/train-default.sh [extra train options...]
#   # a longer continuation of the shipped weights (what the next session resumes):
#   RUN=/root/.cache/sparsevit-train/compact-v4 STEPS=10000 LR=3e-4 \
#     checkpoints/training/train-default.sh --init checkpoints/default/sparsevit-default.safetensors
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUN="${RUN:-/root/.cache/sparsevit-train/compact-v3}"
BIN="${BIN:-/root/.cache/sparsevit-train/bin}"
rev="$(git -C "$repo" rev-parse HEAD 2>/dev/null || echo unknown)"
if [ ! -f "$BIN/sparsevit.dll" ] || [ "$(cat "$BIN/.rev" 2>/dev/null)" != "$rev" ]; then
  # A private copy of the tool, so that rebuilding the repository never swaps assemblies under a running job.
  # Rebuilt when the checkout moved on; do not run this script while another training job uses $BIN.
  nice -n 19 dotnet build "$repo/src/SparseViT.Cli" -c Release -nologo -v q >&2
  rm -rf "$BIN" && mkdir -p "$BIN" && cp -r "$repo/src/SparseViT.Cli/bin/Release/net10.0/linux-x64/." "$BIN/"
  echo "$rev" > "$BIN/.rev"
fi
photos=(/usr/share/wallpapers /usr/share/backgrounds /usr/lib/python3/dist-packages/skimage/data)
args=()
for p in "${photos[@]}"; do args+=(--photos "$p" --eval-photos "$p"); done
mkdir -p "$RUN"
exec nice -n 19 dotnet "$BIN/sparsevit.dll" train --config compact "${args[@]}" \
  --steps "${STEPS:-3600}" --batch-size 4 --accumulate 1 --lr "${LR:-5e-4}" --min-lr 1e-5 --warmup 100 --weight-decay 0.05 \
  --layer-scale-init 0.1 --dice-weight 1 \
  --save-every 250 --eval-every 500 --eval-count 200 --log-every 10 --threads "${THREADS:-2}" --seed 3 \
  --output "$RUN" --format pth --resume "$@"
