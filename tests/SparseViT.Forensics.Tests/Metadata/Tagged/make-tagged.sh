#!/bin/sh
# Tagged images in the formats whose metadata MetadataExtractor alone does not reach (or reaches differently), so the
# record's camera, software, dates and GPS can be checked against what ExifTool (an independent writer) put there.
# tagged.avif/.jxl/.jp2 were written by Magick.NET-Q8 15.1.0 from TiffVariants/rgb8_none.tif (96x64, quality 80);
# tagged.heic is ../shared/fixtures/formats/heic_from_c2pa_sample1.heic (no HEVC encoder here); tagged.tif is
# TiffVariants/rgb8_none.tif. Then (Debian 12, libimage-exiftool-perl 12.57), run in this folder:
set -eu
for f in tagged.heic tagged.avif tagged.jxl tagged.jp2 tagged.tif; do
  exiftool -q -m -overwrite_original -Make=TestCam -Model="Model X" -Software="Adobe Photoshop 25.0" \
    -DateTimeOriginal="2024:05:01 10:20:30" -ModifyDate="2024:06:01 11:00:00" \
    -GPSLatitude=48.8584 -GPSLatitudeRef=N -GPSLongitude=2.2945 -GPSLongitudeRef=E "$f"
done
