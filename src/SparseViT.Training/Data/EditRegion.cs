using SkiaSharp;

namespace SparseViT.Training.Data;

/// <summary>
/// Where a synthetic edit goes: a random shape rasterized to a soft alpha mask on the Size² canvas. Kept apart from the
/// edits themselves so the region statistics (3–40 % of the image, one in five a union of two shapes) are in one place.
/// </summary>
internal static class EditRegion
{
    /// <summary>A random region (ellipse, rotated rectangle, polygon, blob or brush stroke, sometimes two) covering 3–40 % of the image.</summary>
    public static (float[] Alpha, SKPath Path) Random(int size, System.Random rng)
    {
        for (int attempt = 0; ; attempt++)
        {
            var path = OneShape(size, rng);
            if (rng.NextDouble() < 0.2)
            {
                using var second = OneShape(size, rng);
                var union = path.Op(second, SKPathOp.Union);
                if (union is not null)
                {
                    path.Dispose();
                    path = union;
                }
            }
            var alpha = Rasterize(path, size);
            if (rng.NextDouble() < 0.3) alpha = ImageOps.GaussianBlur(alpha, size, size, 1, 0.7f + 1.8f * rng.NextSingle());
            double area = alpha.Count(a => a >= 0.5f) / (double)alpha.Length;
            if (area is >= 0.03 and <= 0.40 || attempt >= 20) return (alpha, path);
            path.Dispose();
        }
    }

    private static SKPath OneShape(int size, System.Random rng)
    {
        float S = size;
        float cx = S * (0.12f + 0.76f * rng.NextSingle()), cy = S * (0.12f + 0.76f * rng.NextSingle());
        float r = S * (0.1f + 0.25f * rng.NextSingle());
        var path = new SKPath();
        switch (rng.Next(5))
        {
            case 0:
                path.AddOval(SKRect.Create(cx - r, cy - r * (0.4f + 0.6f * rng.NextSingle()), 2 * r, 2 * r * (0.4f + 0.6f * rng.NextSingle())));
                break;
            case 1:
                path.AddRect(SKRect.Create(cx - r, cy - r * 0.6f, 2 * r * (0.5f + 0.5f * rng.NextSingle()), 1.2f * r * (0.5f + 0.5f * rng.NextSingle())));
                break;
            case 2:
            case 3:
            {
                int count = rng.Next(5, 12);
                var angles = Enumerable.Range(0, count).Select(_ => rng.NextSingle() * MathF.Tau).OrderBy(a => a).ToArray();
                var points = angles.Select(a =>
                {
                    float rr = r * (0.45f + 0.55f * rng.NextSingle());
                    return new SKPoint(cx + rr * MathF.Cos(a), cy + rr * MathF.Sin(a));
                }).ToArray();
                if (rng.Next(2) == 0) path.AddPoly(points, close: true);
                else
                {
                    // Smooth blob: quadratic curves through the edge midpoints.
                    SKPoint Mid(SKPoint a, SKPoint b) => new((a.X + b.X) / 2, (a.Y + b.Y) / 2);
                    path.MoveTo(Mid(points[^1], points[0]));
                    for (int i = 0; i < count; i++) path.QuadTo(points[i], Mid(points[i], points[(i + 1) % count]));
                    path.Close();
                }
                break;
            }
            default:
            {
                // Brush stroke, as in object removal or a pasted line of text.
                using var stroke = new SKPath();
                stroke.MoveTo(cx, cy);
                float a = rng.NextSingle() * MathF.Tau;
                for (int i = 0; i < rng.Next(2, 5); i++)
                {
                    a += -1f + 2f * rng.NextSingle();
                    cx = Math.Clamp(cx + r * MathF.Cos(a), 0, S);
                    cy = Math.Clamp(cy + r * MathF.Sin(a), 0, S);
                    stroke.LineTo(cx, cy);
                }
                using var paint = new SKPaint { Style = SKPaintStyle.Stroke, StrokeWidth = S * (0.03f + 0.07f * rng.NextSingle()), StrokeCap = SKStrokeCap.Round, StrokeJoin = SKStrokeJoin.Round };
                paint.GetFillPath(stroke, path);
                break;
            }
        }
        var rotate = SKMatrix.CreateRotationDegrees(rng.NextSingle() * 360, cx, cy);
        path.Transform(rotate);
        return path;
    }

    private static float[] Rasterize(SKPath path, int size)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(size, size, SKColorType.Alpha8, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        using (var paint = new SKPaint { IsAntialias = true, Color = SKColors.White, Style = SKPaintStyle.Fill })
        {
            canvas.Clear(SKColors.Transparent);
            canvas.DrawPath(path, paint);
        }
        var bytes = new byte[size * size];
        for (int y = 0; y < size; y++)
            System.Runtime.InteropServices.Marshal.Copy(bitmap.GetPixels() + y * bitmap.RowBytes, bytes, y * size, size);
        var alpha = new float[bytes.Length];
        for (int i = 0; i < bytes.Length; i++) alpha[i] = bytes[i] / 255f;
        return alpha;
    }
}
