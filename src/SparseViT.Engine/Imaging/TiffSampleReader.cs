using BitMiracle.LibTiff.Classic;

namespace SparseViT.Engine.Imaging;

/// <summary>Row access to raw samples, whether the file is stripped or tiled, chunky or planar.</summary>
internal sealed class TiffSampleReader
{
    private readonly Tiff _tif;
    private readonly int _width, _bitsPerSample, _samplesPerPixel;
    private readonly bool _planar;
    private readonly string _path;
    private readonly int _planes, _rowBytes;
    private readonly int _tileWidth, _bandHeight = 1;
    private readonly byte[][] _bands;
    private readonly byte[]? _tile;
    private int _band = -1, _rowOffset;

    public TiffSampleReader(Tiff tif, int width, int bitsPerSample, int samplesPerPixel, bool planar, string path)
    {
        _tif = tif; _width = width; _bitsPerSample = bitsPerSample; _samplesPerPixel = samplesPerPixel; _planar = planar; _path = path;
        _planes = planar ? samplesPerPixel : 1;
        int samplesPerRow = planar ? width : checked(width * samplesPerPixel);
        _rowBytes = checked((samplesPerRow * bitsPerSample + 7) / 8);
        if (tif.IsTiled())
        {
            _tileWidth = tif.GetField(TiffTag.TILEWIDTH)[0].ToInt();
            _bandHeight = tif.GetField(TiffTag.TILELENGTH)[0].ToInt();
            if (_tileWidth <= 0 || _bandHeight <= 0 || (long)_tileWidth * _bandHeight > 1 << 26)
                throw new ImageDecodeException(ImageDecodeErrorCodes.ImageDecodeFailed, path, $"TIFF declares {_tileWidth}x{_bandHeight} tiles");
            _tile = new byte[tif.TileSize()];
        }
        _bands = Enumerable.Range(0, _planes).Select(_ => new byte[checked(_rowBytes * _bandHeight)]).ToArray();
    }

    public void LoadRow(int y)
    {
        _rowOffset = (y % _bandHeight) * _rowBytes;
        if (_tile is null)
        {
            for (int p = 0; p < _planes; p++)
                if (!_tif.ReadScanline(_bands[p], y, (short)p)) throw ReadError($"row {y}");
            return;
        }
        if (y / _bandHeight == _band) return;
        // Tiled: decode each tile of this band of rows once, and lay its rows out as whole image rows.
        _band = y / _bandHeight;
        int bitsPerPixel = _bitsPerSample * (_planar ? 1 : _samplesPerPixel);
        int tileRowBytes = (_tileWidth * bitsPerPixel + 7) / 8;
        for (int p = 0; p < _planes; p++)
            for (int tx = 0; tx < _width; tx += _tileWidth)
            {
                if (_tif.ReadTile(_tile, 0, tx, y, 0, (short)p) < 0) throw ReadError($"the tile at ({tx}, {y})");
                int start = tx * bitsPerPixel / 8, count = Math.Min(tileRowBytes, _rowBytes - start);
                for (int r = 0; r < _bandHeight; r++)
                    Buffer.BlockCopy(_tile, r * tileRowBytes, _bands[p], r * _rowBytes + start, count);
            }
    }

    /// <summary>Sample <paramref name="channel"/> of pixel <paramref name="x"/> in the loaded row (host byte order for 16-bit).</summary>
    public int Sample(int x, int channel)
    {
        int bits = _bitsPerSample;
        byte[] band = _bands[_planar ? channel : 0];
        long index = _planar ? x : (long)x * _samplesPerPixel + channel;
        return bits switch
        {
            8 => band[_rowOffset + index],
            16 => BitConverter.ToUInt16(band, _rowOffset + (int)(index * 2)),
            _ => (band[_rowOffset + index * bits / 8] >> (8 - bits - (int)(index * bits % 8))) & ((1 << bits) - 1),
        };
    }

    private ImageDecodeException ReadError(string where)
    {
        string detail = LibTiffErrorLog.Messages("the decoder reported no detail");
        bool truncated = detail.Contains("Read error", StringComparison.OrdinalIgnoreCase) || detail.Contains("Premature", StringComparison.OrdinalIgnoreCase)
            || detail.Contains("end of", StringComparison.OrdinalIgnoreCase);
        return new ImageDecodeException(truncated ? ImageDecodeErrorCodes.ImageTruncated : ImageDecodeErrorCodes.ImageDecodeFailed, _path,
            truncated ? $"TIFF image is truncated: {where} cannot be read ({detail})" : $"TIFF data is corrupt: {where} cannot be decoded ({detail})");
    }
}
