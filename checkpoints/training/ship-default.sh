#!/usr/bin/env bash
# Copies the best checkpoint of the default training run (by held-out pixel-F1, fp16 safetensors) into
# checkpoints/default/ and prints its scores for the model card.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUN="${RUN:-/root/.cache/sparsevit-train/compact-v3}"
src="${1:-$RUN/best-fp16.safetensors}"
[ -f "$src" ] || { echo "ship-default.sh: $src not found (has the run evaluated yet?)" >&2; exit 1; }
mkdir -p "$repo/checkpoints/default"
cp "$src" "$repo/checkpoints/default/sparsevit-default.safetensors"
ls -l "$repo/checkpoints/default/sparsevit-default.safetensors"
sha256sum "$repo/checkpoints/default/sparsevit-default.safetensors"
[ -f "$RUN/best.json" ] && cat "$RUN/best.json" && echo
tail -n 3 "$RUN/eval.tsv" 2>/dev/null || true
