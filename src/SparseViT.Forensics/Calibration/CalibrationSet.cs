using SparseViT.Forensics.Metrics;

namespace SparseViT.Forensics.Calibration;

/// <summary>
/// The images of a calibration, each with its known class. An authentic folder is taken whole (recursively). A
/// manipulated folder is either the authors' layout — <c>Tp/</c> images with <c>Gt/</c> masks, where an image whose
/// mask marks nothing is authentic and one without a mask is left out as unknown — or a plain folder of known edits.
/// </summary>
public sealed class CalibrationSet
{
    private readonly List<(string Path, bool Manipulated)> _images = [];
    private readonly List<(string Path, string Problem)> _unknown = [];

    public CalibrationSet(IReadOnlyList<string> authenticFolders, IReadOnlyList<string> manipulatedFolders)
    {
        AuthenticFolders = authenticFolders.Select(Path.GetFullPath).ToArray();
        ManipulatedFolders = manipulatedFolders.Select(Path.GetFullPath).ToArray();
        foreach (var folder in AuthenticFolders) AddFolder(folder, manipulated: false);
        foreach (var folder in ManipulatedFolders)
        {
            string tp = Path.Combine(folder, "Tp"), gt = Path.Combine(folder, "Gt");
            if (Directory.Exists(tp) && Directory.Exists(gt)) AddLabelled(tp, new GroundTruthFolder(gt));
            else AddFolder(folder, manipulated: true);
        }
    }

    public IReadOnlyList<string> AuthenticFolders { get; }
    public IReadOnlyList<string> ManipulatedFolders { get; }

    /// <summary>Every image to score, in a stable order, with its class.</summary>
    public IReadOnlyList<(string Path, bool Manipulated)> Images => _images;

    /// <summary>Images whose class could not be told (a Tp/ image without a mask, an unreadable mask).</summary>
    public IReadOnlyList<(string Path, string Problem)> Unknown => _unknown;

    private void AddFolder(string folder, bool manipulated)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"calibration folder not found: {folder}");
        foreach (var path in ImagesUnder(folder, recurse: true)) _images.Add((path, manipulated));
    }

    private void AddLabelled(string tp, GroundTruthFolder masks)
    {
        foreach (var path in ImagesUnder(tp, recurse: false))
        {
            string? mask = masks.FindMask(path);
            if (mask is null)
            {
                _unknown.Add((path, $"no ground-truth mask in {masks.Folder}"));
                continue;
            }
            try
            {
                _images.Add((path, !GroundTruthMask.Load(mask).IsEmpty));
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException)
            {
                _unknown.Add((path, e.Message));
            }
        }
    }

    private static IEnumerable<string> ImagesUnder(string folder, bool recurse) =>
        Scanning.FileEnumerator.Enumerate([folder], new Scanning.ScanEnumerationOptions { Recurse = recurse })
            .Where(i => i.IsScannable).Select(i => i.Path);
}
