#!/usr/bin/env bash
# Peak RSS of `sparsevit scan` over a small and a large folder: the pipeline's queues are bounded, so the large scan
# should stay within 1.2x of the small one.
#   tests/scripts/measure-rss.sh [small=200] [large=2000] [batch=4]
# Needs the CLI built (dotnet build src/SparseViT.Cli -c Release) and ../shared beside the repository.
set -euo pipefail
small="${1:-200}"; large="${2:-2000}"; batch="${3:-4}"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dll="$repo/src/SparseViT.Cli/bin/Release/net10.0/linux-x64/sparsevit.dll"
checkpoint="$repo/../shared/fixtures/sparsevit-tiny/checkpoint.pth"
samples=("$repo"/../shared/samples/tampered/*.jpg "$repo"/../shared/fixtures/sparsevit-tiny/case3.png)
[ -f "$dll" ] || { echo "build first: dotnet build $repo/src/SparseViT.Cli -c Release" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs GNU time (apt-get install -y time)" >&2; exit 2; }
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT

make_images() { # dir count: copies of the samples (3 JPEG sizes and a PNG) under distinct names
  mkdir -p "$1"
  for ((i = 0; i < $2; i++)); do
    src="${samples[$((i % ${#samples[@]}))]}"
    cp "$src" "$1/img_$(printf %05d "$i").${src##*.}"
  done
}

measure() { # count -> prints peak RSS in KiB
  local dir="$work/images-$1"
  make_images "$dir" "$1"
  /usr/bin/time -v -o "$work/time-$1.txt" dotnet "$dll" scan "$dir" --checkpoint "$checkpoint" --batch-size "$batch" \
    --format jsonl --output "$work/out-$1.jsonl" --fail-on never --quiet >/dev/null
  local records; records=$(wc -l < "$work/out-$1.jsonl")
  [ "$records" -eq "$1" ] || { echo "expected $1 records, got $records" >&2; exit 1; }
  awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time-$1.txt"
}

start=$(date +%s); rss_small=$(measure "$small"); t_small=$(( $(date +%s) - start ))
start=$(date +%s); rss_large=$(measure "$large"); t_large=$(( $(date +%s) - start ))
ratio=$(awk -v a="$rss_large" -v b="$rss_small" 'BEGIN {printf "%.3f", a / b}')
echo "images=$small peak_rss_kib=$rss_small seconds=$t_small"
echo "images=$large peak_rss_kib=$rss_large seconds=$t_large"
echo "ratio=$ratio (limit 1.2) batch=$batch"
awk -v r="$ratio" 'BEGIN {exit !(r <= 1.2)}' || { echo "peak RSS grew more than 1.2x" >&2; exit 1; }
