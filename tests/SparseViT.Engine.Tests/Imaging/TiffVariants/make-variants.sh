#!/bin/sh
# Makes the TIFF layouts ../shared/fixtures/formats lacks, and their reference decodes, with Debian 12's PIL 9.4.0 (the
# version the authors' pipeline and the shared fixtures use) and libtiff-tools' tiffcp 4.5.0 (tiled, planar, big-endian,
# predictor layouts PIL does not write). Needs: apt-get install python3-pil python3-numpy libtiff-tools.
# Run from this folder: sh make-variants.sh ../../../../../shared/samples/tampered/sample_1.jpg
set -eu
src=${1:?sample JPEG}
/usr/bin/python3 - "$src" <<'PY'
import sys
from PIL import Image
im = Image.open(sys.argv[1]).convert("RGB").crop((150, 90, 246, 154))  # 96x64, edges and texture
im.save("rgb8_none.tif", compression=None)
im.convert("L").save("gray8_lzw.tif", compression="tiff_lzw")
im.convert("1").save("bilevel_group4.tif", compression="group4")
im.convert("P", palette=Image.ADAPTIVE, colors=64).save("palette8_lzw.tif", compression="tiff_lzw")
rgba = im.copy(); rgba.putalpha(Image.linear_gradient("L").resize(im.size)); rgba.save("rgba8_deflate.tif", compression="tiff_adobe_deflate")
im.save("rgb8_packbits.tif", compression="packbits")
im.save("ycbcr_jpeg.tif", compression="jpeg", quality=90)
g16 = Image.frombytes("I;16", im.size, bytes(b for v in im.convert("L").getdata() for b in ((v * 257 + 99) & 0xFF, (v * 257 + 99) >> 8 & 0xFF)))
g16.save("gray16_none.tif", compression=None)
PY
tiffcp -t -w 32 -l 32 rgb8_none.tif rgb8_tiled.tif
tiffcp -p separate rgb8_none.tif rgb8_planar.tif
tiffcp -B -c lzw:2 rgb8_none.tif rgb8_bigendian_lzw_predictor.tif
tiffcp -c zip:2 -t -w 32 -l 32 -p separate rgb8_none.tif rgb8_tiled_planar_zip_predictor.tif
/usr/bin/python3 - <<'PY'
import glob, numpy as np
from PIL import Image
for f in sorted(glob.glob("*.tif")):
    im = Image.open(f)
    if im.mode == "I;16":
        # Our documented departure from PIL (which clips I;16 to 255): keep the high byte, as for 16-bit RGB.
        a = (np.asarray(im).astype(np.uint16) >> 8).astype(np.uint8)
        ref = np.stack([a, a, a], axis=-1)
    else:
        ref = np.asarray(im.convert("RGB"))
    np.save(f + ".npy", ref)
    print(f, im.mode, im.size, im.info.get("compression"))
PY
