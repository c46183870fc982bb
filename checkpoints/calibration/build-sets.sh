#!/usr/bin/env bash
# Builds the pinned image sets the shipped default model is calibrated and checked on, under $ROOT
# (default /var/tmp/sparsevit-eval), and verifies every file against sets.sha256 beside this script:
#
#   photos-calibration/     authentic: half of the photos of three Debian packages training never used (by name hash)
#   photos-check/           authentic: the other half; used by nothing but the final check
#   heldout-photos/         authentic: the 14 held-out photos of the model's own split, every file the packages ship
#   synthetic-calibration/  Tp/ + Gt/: 200 synthetic edits + 200 unedited samples of the held-out photos (seed 4242)
#   synthetic-check/        Tp/ + Gt/: the same kind of set with seed 777
#
#   sudo checkpoints/calibration/build-sets.sh            # install the packages, build, verify
#   checkpoints/calibration/build-sets.sh --no-install    # build and verify only
#   checkpoints/calibration/build-sets.sh --pin           # (re)write sets.sha256 from what was built
#
# SPARSEVIT names the tool (default: the repository's Release build). The photo packages of the training split come
# from install-photos.sh; gnome-, mate- and sway-backgrounds are never used (kept for independent evaluation).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
ROOT="${ROOT:-/var/tmp/sparsevit-eval}"
SPARSEVIT="${SPARSEVIT:-$repo/src/SparseViT.Cli/bin/Release/net10.0/linux-x64/sparsevit}"
MODEL="${MODEL:-$repo/checkpoints/default/sparsevit-default.safetensors}"
install=1 pin=0
for a in "$@"; do
  case "$a" in
    --no-install) install=0 ;;
    --pin) pin=1; install=0 ;;
    *) echo "build-sets.sh: unknown option $a" >&2; exit 2 ;;
  esac
done

# Photo packages neither training nor the held-out split has seen (licences: MODEL_CARD.md).
packages=(gcompris-qt-data palapeli-data opencv-doc)
if [ "$install" = 1 ]; then
  [ "$(id -u)" -eq 0 ] || { echo "build-sets.sh: run as root to install ${packages[*]} (or pass --no-install)" >&2; exit 1; }
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >&2
fi
"$here/../training/install-photos.sh" --list >/dev/null

rm -rf "$ROOT" && mkdir -p "$ROOT/photos-calibration" "$ROOT/photos-check" "$ROOT/heldout-photos" "$ROOT/.new"
# GCompris: the photo activities only (its lang/ pictures are drawings, solar_system NASA renderings).
rcc=/usr/share/gcompris-qt/rcc
python3 "$here/carve-webp.py" "$ROOT/.new" $rcc/explore_monuments.rcc $rcc/erase.rcc $rcc/explore_world_animals.rcc \
  $rcc/explore_farm_animals.rcc $rcc/clickgame.rcc $rcc/explore_world_music.rcc
cp /usr/share/palapeli/collection/*.jpg "$ROOT/.new/"
# OpenCV's sample photos (camera pictures only: no renderings, logos, paintings, or ela_modified, a known edit).
ocv=/usr/share/doc/opencv-doc/examples
for f in baboon.jpg leuvenA.jpg leuvenB.jpg ela_original.jpg aloeL.jpg aloeR.jpg orange.jpg apple.jpg graf1.png graf3.png \
         pca_test1.jpg building.jpg sudoku.png fruits.jpg home.jpg messi5.jpg left01.jpg board.jpg aero1.jpg; do
  cp "$ocv/data/$f" "$ROOT/.new/opencv-$f"
done
for f in "$ocv"/text/scenetext0[1-6].jpg; do cp "$f" "$ROOT/.new/opencv-$(basename "$f")"; done
for f in "$ROOT"/.new/*; do
  name="$(basename "$f")"
  case "$(printf %s "$name" | sha256sum | cut -c1)" in
    [0-7]) mv "$f" "$ROOT/photos-calibration/" ;;
    *) mv "$f" "$ROOT/photos-check/" ;;
  esac
done
rmdir "$ROOT/.new"

# The held-out identities of the training split (PhotoLibrary: FNV-1a of the identity mod 5 = 0), every file of each.
heldout=" aitzgorri analogpattern cascade elarun eveningglow flow free kleiber motorcycle_left motorcycle_right onestandsout phantom picosdeeuropa shell "
while IFS= read -r -d '' f; do
  stem="$(basename "${f%.*}")" id=""
  if [[ "$stem" =~ ^[0-9]{3,5}x[0-9]{3,5}$ ]]; then
    d="$(dirname "$f")"
    while [[ "$(basename "$d")" == images* || "$(basename "$d")" == contents ]]; do d="$(dirname "$d")"; done
    id="$(basename "$d" | tr '[:upper:]' '[:lower:]')"
  else
    id="$(printf %s "$stem" | tr '[:upper:]' '[:lower:]')"
  fi
  [[ "$heldout" == *" $id "* ]] || continue
  [[ "$(basename "$f")" == *screenshot* ]] && continue
  cp "$f" "$ROOT/heldout-photos/${id}__$(basename "$f")"
done < <(find -L /usr/share/wallpapers /usr/share/backgrounds /usr/lib/python3/dist-packages/skimage/data -type f \
           \( -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.png' -o -iname '*.webp' -o -iname '*.bmp' \) -print0 | sort -z)

photos=()
for p in /usr/share/wallpapers /usr/share/backgrounds /usr/lib/python3/dist-packages/skimage/data; do photos+=(--eval-photos "$p"); done
for seed in 4242 777; do
  name=$([ "$seed" = 4242 ] && echo synthetic-calibration || echo synthetic-check)
  "$SPARSEVIT" train --eval-only --init "$MODEL" --config compact "${photos[@]}" --eval-count 200 --eval-authentic 200 \
    --eval-seed "$seed" --write-eval-set "$ROOT/$name" --output "$ROOT/.score-$seed" --threads "${THREADS:-2}" >&2
  rm -rf "$ROOT/.score-$seed"
done

cd "$ROOT"
if [ "$pin" = 1 ]; then
  find . -type f ! -name '.*' | LC_ALL=C sort | sed 's|^\./||' | xargs -d '\n' sha256sum > "$here/sets.sha256"
  echo "build-sets.sh: pinned $(wc -l < "$here/sets.sha256") files in $here/sets.sha256" >&2
else
  sha256sum --quiet -c "$here/sets.sha256"
  extra="$(comm -13 <(cut -c67- "$here/sets.sha256" | LC_ALL=C sort) <(find . -type f | sed 's|^\./||' | LC_ALL=C sort))"
  [ -z "$extra" ] || { echo "build-sets.sh: files not in sets.sha256:"$'\n'"$extra" >&2; exit 1; }
  echo "build-sets.sh: all $(wc -l < "$here/sets.sha256") files match sets.sha256" >&2
fi
for d in photos-calibration photos-check heldout-photos synthetic-calibration/Tp synthetic-check/Tp; do
  printf '%s\t%s\n' "$ROOT/$d" "$(find "$d" -type f | wc -l)"
done
