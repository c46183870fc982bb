#!/usr/bin/env bash
# Packs what a GPU host with PyTorch but no .NET SDK and no photo packages needs to train the default model:
#   .gpu/sparsevit.tar.xz  the self-contained tool without libtorch (it binds to the host's PyTorch, SPARSEVIT_LIBTORCH)
#   .gpu/photos/           the photos of install-photos.sh at the size training keeps them (<identity>.jpg, same split)
# Both are ignored by git; copy .gpu/ to the host beside the checkout (about 45 MB) and run train-default-gpu.sh there.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:-$repo/.gpu}"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
dotnet publish "$repo/src/SparseViT.Cli" -c Release -r linux-x64 --self-contained true -p:SparseViTTorchBackend=none \
  -p:DebugType=none -nologo -v q -o "$stage/bin" >&2
# The repository's checkpoints travel with the checkout; the debugger libraries are not needed to train.
rm -rf "$stage/bin/checkpoints" "$stage/bin/createdump" "$stage/bin/libmscordbi.so" "$stage/bin/libmscordaccore.so"
mkdir -p "$out"
XZ_OPT=-T0 tar -cJf "$out/sparsevit.tar.xz.tmp" -C "$stage/bin" . && mv "$out/sparsevit.tar.xz.tmp" "$out/sparsevit.tar.xz"
photos=()
while IFS=$'\t' read -r folder _; do photos+=(--photos "$folder"); done < <("$repo/checkpoints/training/install-photos.sh" --list)
[ "${#photos[@]}" -gt 0 ] || { echo "prepare-gpu-bundle.sh: no photo folders; run install-photos.sh as root first" >&2; exit 1; }
rm -rf "$out/photos"
"$stage/bin/sparsevit" train "${photos[@]}" --export-photos "$out/photos" -o "$stage/unused"
# The publish rebuilt the shared build folder without libtorch; put the normal CPU build back for local use.
dotnet build "$repo/src/SparseViT.Cli" -c Release -nologo -v q >&2
du -sh "$out/sparsevit.tar.xz" "$out/photos"
