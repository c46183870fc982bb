#!/usr/bin/env bash
# Makes TorchSharp's libLibTorchSharp.so load on hosts whose libstdc++ predates GCC 13
# (no GLIBCXX_3.4.32: Debian 12, Ubuntu 22.04). Run by the build, test and publish targets on
# every output folder that holds the library; does nothing where the host needs no help.
#
#   patch-libtorchsharp.sh <folder> [--force]
#
# What it does, only when the host libstdc++ lacks GLIBCXX_3.4.32 (or with --force):
#   1. compiles libsparsevit_stdcxx_compat.so (defines std::ios_base_library_init) beside the .so;
#   2. adds it as a DT_NEEDED of libLibTorchSharp.so (found through the existing $ORIGIN runpath);
#   3. clears the GLIBCXX_3.4.32 version from that symbol so it binds to the shim;
#   4. marks the GLIBCXX_3.4.32 version need weak (VER_FLG_WEAK), so the loader no longer refuses.
# Exit codes: 0 patched or nothing to do; 3 the host needs the patch but a tool is missing.
set -euo pipefail
dir="${1:?usage: patch-libtorchsharp.sh <folder> [--force]}"
force="${2:-}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
shim_name=libsparsevit_stdcxx_compat.so
symbol=_ZSt21ios_base_library_initv
need=GLIBCXX_3.4.32

mapfile -t libs < <(find "$dir" -maxdepth 5 -name libLibTorchSharp.so -type f 2>/dev/null)
[ "${#libs[@]}" -gt 0 ] || exit 0

host_has_need() {
  local lib
  for lib in $(/sbin/ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 .*x86-64/ {print $NF}') \
             /usr/lib/x86_64-linux-gnu/libstdc++.so.6 /lib64/libstdc++.so.6; do
    [ -f "$lib" ] || continue
    grep -aq "$need" "$lib" && return 0 || return 1
  done
  return 1
}

if [ "$force" != "--force" ] && host_has_need; then
  exit 0
fi

missing=()
command -v patchelf >/dev/null || missing+=(patchelf)
command -v readelf >/dev/null || missing+=(binutils)
cxx="$(command -v c++ || command -v g++ || true)"
[ -n "$cxx" ] || missing+=(g++)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "sparsevit: this host's libstdc++ lacks $need, which TorchSharp's libLibTorchSharp.so needs; install ${missing[*]} (e.g. apt-get install -y ${missing[*]}) and rebuild so the build can add the compatibility shim." >&2
  exit 3
fi

for lib in "${libs[@]}"; do
  libdir="$(dirname "$lib")"
  if readelf -d "$lib" | grep -q "\[$shim_name\]"; then
    [ -f "$libdir/$shim_name" ] || "$cxx" -shared -fPIC -O2 -o "$libdir/$shim_name" "$here/ios_base_library_init.cpp"
    continue
  fi
  "$cxx" -shared -fPIC -O2 -o "$libdir/$shim_name" "$here/ios_base_library_init.cpp"
  tmp="$lib.patching"
  cp "$lib" "$tmp"
  patchelf --add-needed "$shim_name" --clear-symbol-version "$symbol" "$tmp"
  # Locate the vernaux entry for GLIBCXX_3.4.32: section file offset + entry offset; vna_flags is at +4.
  sec_off=$(readelf -V "$tmp" | awk "/Version needs section/ {getline; for (i=1;i<=NF;i++) if (\$i==\"Offset:\") print \$(i+1)}")
  ent_off=$(readelf -V "$tmp" | awk -v n="$need" '$0 ~ "Name: "n" " {sub(":","",$1); print $1}')
  if [ -z "$sec_off" ] || [ -z "$ent_off" ]; then
    echo "sparsevit: could not find the $need version need in $lib" >&2; rm -f "$tmp"; exit 3
  fi
  printf '\x02\x00' | dd of="$tmp" bs=1 seek=$((sec_off + ent_off + 4)) conv=notrunc status=none
  readelf -V "$tmp" | grep -q "Name: $need  Flags: WEAK" || { echo "sparsevit: marking $need weak failed in $lib" >&2; rm -f "$tmp"; exit 3; }
  mv -f "$tmp" "$lib"
  echo "sparsevit: patched $lib for libstdc++ without $need" >&2
done
