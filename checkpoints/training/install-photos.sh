#!/usr/bin/env bash
# Installs the Debian packages whose natural photos feed synthetic training and evaluation, then lists
# the photo folders so they can be passed to `sparsevit train --photos`. Licences are in the model card
# (checkpoints/MODEL_CARD.md) and in /usr/share/doc/<package>/copyright after installation.
#
#   sudo checkpoints/training/install-photos.sh            # install and print the folders
#   checkpoints/training/install-photos.sh --list          # only print the folders
set -euo pipefail
# jigzo-data was considered and left out: its puzzles are a private binary format (.pzl), not image files.
packages=(plasma-workspace-wallpapers ukui-wallpapers lomiri-wallpapers python3-skimage)
folders=(/usr/share/wallpapers /usr/share/backgrounds /usr/lib/python3/dist-packages/skimage/data)

if [ "${1:-}" != "--list" ]; then
  if [ "$(id -u)" -ne 0 ]; then echo "install-photos.sh: run as root (apt-get install)" >&2; exit 1; fi
  apt-get update -qq
  # skimage brings numpy/scipy; only its bundled photos are used, never its code.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >&2
fi
for f in "${folders[@]}"; do
  [ -d "$f" ] || continue
  n=$(find -L "$f" -type f \( -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.png' -o -iname '*.webp' \) -size +20k | wc -l)
  echo "$f	$n"
done
