#!/usr/bin/env bash
# Calibrates a model (default: the shipped one) on the pinned calibration sets of build-sets.sh and measures it on
# the check sets, writing everything under $OUT and a summary table on stdout (the model card's numbers).
#
#   checkpoints/calibration/build-sets.sh --no-install    # the sets, verified against sets.sha256
#   checkpoints/calibration/calibrate-default.sh          # → checkpoints/default/sparsevit-default.calibration.json
#
# MODEL names another checkpoint (its calibration is written beside it), CALIBRATE=0 only measures.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
ROOT="${ROOT:-/var/tmp/sparsevit-eval}"
OUT="${OUT:-$ROOT/results}"
SPARSEVIT="${SPARSEVIT:-$repo/src/SparseViT.Cli/bin/Release/net10.0/linux-x64/sparsevit}"
MODEL="${MODEL:-$repo/checkpoints/default/sparsevit-default.safetensors}"
run=("$SPARSEVIT")
common=(--checkpoint "$MODEL" --threads "${THREADS:-2}")
mkdir -p "$OUT"

if [ "${CALIBRATE:-1}" = 1 ]; then
  # Authentic: the calibration half of the unseen photo packages, and the unedited samples of the held-out photos
  # (all-black masks in synthetic-calibration/Gt); manipulated: its 200 edits.
  "${run[@]}" calibrate --authentic "$ROOT/photos-calibration" --manipulated "$ROOT/synthetic-calibration" "${common[@]}" --batch-size 4 --quiet
fi
"${run[@]}" evaluate --images "$ROOT/synthetic-check/Tp" --ground-truth "$ROOT/synthetic-check/Gt" "${common[@]}" --quiet -o "$OUT/synthetic-check.json"
"${run[@]}" evaluate --images "$repo/../shared/samples/tampered" --ground-truth "$repo/../shared/samples/ground-truth" "${common[@]}" --quiet -o "$OUT/samples.json"
for set in heldout-photos photos-check; do
  "${run[@]}" scan "$ROOT/$set" "${common[@]}" --batch-size 4 --fail-on never --quiet --skip-metadata -o "$OUT/$set.model-only.jsonl"
  "${run[@]}" scan "$ROOT/$set" "${common[@]}" --batch-size 4 --fail-on never --quiet -o "$OUT/$set.jsonl"
done
"${run[@]}" scan "$repo/../shared/samples/tampered" "${common[@]}" --fail-on never --quiet -o "$OUT/samples.jsonl"

python3 - "$OUT" <<'PY'
import json, math, sys, collections
out = sys.argv[1]
def wilson(k, n, z=1.959963984540054):
    p = k / n; c = (p + z*z/(2*n)) / (1 + z*z/n); h = z/(1 + z*z/n) * math.sqrt(p*(1-p)/n + z*z/(4*n*n))
    return max(0, c - h) if k else 0.0, min(1, c + h) if k < n else 1.0
def pct(x): return f"{100*x:.1f} %"
print("| authentic set | images | manipulated | suspicious or worse |")
print("| --- | --- | --- | --- |")
for name in ("heldout-photos.model-only", "heldout-photos", "photos-check.model-only", "photos-check"):
    recs = [json.loads(l) for l in open(f"{out}/{name}.jsonl")]
    v = collections.Counter(r["verdict"] for r in recs)
    n = len(recs); m = v["manipulated"]; s = m + v["suspicious"]
    lo, hi = wilson(m, n); lo2, hi2 = wilson(s, n)
    print(f"| {name} | {n} | {m} ({pct(m/n)}; {pct(lo)}–{pct(hi)}) | {s} ({pct(s/n)}; {pct(lo2)}–{pct(hi2)}) |")
r = json.load(open(f"{out}/synthetic-check.json"))
img, pix = r["image"], r["pixel"]
print()
print(f"synthetic-check ({img['manipulated']} edits, {img['authentic']} unedited): image AUC {img['auc']:.3f} ({img['scoreFunction']}), "
      f"pixel-F1 {pix['f1']:.3f} IoU {pix['ioU'] if 'ioU' in pix else pix.get('iou', float('nan')):.3f}, balanced accuracy {img['balancedAccuracy']:.3f}")
for p in img.get("operatingPoints", []):
    print(f"  threshold {p['threshold']:.5f} (target FPR {p['targetFalsePositiveRate']}): FPR {p['falsePositives']}/{p['authentic']} "
          f"= {pct(p['falsePositiveRate'])}, TPR {p['truePositives']}/{p['manipulated']} = {pct(p['truePositiveRate'])}")
print("  AUC by score: " + ", ".join(f"{c['function']} {c['auc']:.3f}" for c in img.get("candidates", [])))
print()
for rec in (json.loads(l) for l in open(f"{out}/samples.jsonl")):
    print(f"{rec['fileName']}: {rec['verdict']} (image score {rec['imageScore']:.4f})")
s = json.load(open(f"{out}/samples.json"))
print("samples pixel-F1: " + ", ".join(f"{x['f1']:.3f}" for x in s["images"] if "f1" in x) + f" (mean {s['pixel']['f1']:.3f})")
PY
