using SparseViT.Engine.Checkpoints;
using SparseViT.Engine.Model;
using static TorchSharp.torch;

namespace SparseViT.Training.Tests;

/// <summary>What a run exports reloads: through our loader, and through PyTorch when it is installed.</summary>
public sealed partial class TrainingTests
{
    [Fact]
    public void PthWriterRoundTripsThroughTheLoader()
    {
        using var model = new SparseViTModel(SparseViTConfig.Tiny);
        var tensors = CheckpointExporter.FromModule(model).Tensors;
        string path = Path.Combine(_dir, "w.pth");
        PyTorchCheckpointWriter.Write(path, tensors, new Dictionary<string, long> { ["step"] = 70000, ["epoch"] = 3 });

        var loaded = CheckpointLoader.Load(path);
        Assert.Equal(CheckpointFormat.PyTorchZip, loaded.Format);
        Assert.Equal(tensors.Count, loaded.StateDict.Count);
        foreach (var t in tensors)
        {
            var r = loaded.StateDict[t.Name];
            Assert.Equal(t.DType, r.DType);
            Assert.Equal(t.Shape, r.Shape);
            Assert.True(t.Data.Span.SequenceEqual(r.Data.Span), t.Name);
        }
        Assert.Equal("70000", loaded.Metadata["step"]);

        // torch.save pads every record to 64 bytes so that torch.load(mmap=True) works; so do we.
        using var zip = System.IO.Compression.ZipFile.OpenRead(path);
        Assert.Contains(zip.Entries, e => e.FullName == "archive/data.pkl");
        Assert.Contains(zip.Entries, e => e.FullName == "archive/version");
    }

    [Fact]
    public void Fp16SafetensorsExportReloads()
    {
        using var model = new SparseViTModel(SparseViTConfig.Tiny);
        string path = Path.Combine(_dir, "m.safetensors");
        CheckpointExporter.Write(path, CheckpointExporter.FromModule(model, TensorDType.Float16), CheckpointFileFormat.Safetensors, 5, SparseViTConfig.Tiny);
        var loaded = CheckpointLoader.Load(path, SparseViTConfig.Tiny);
        Assert.Equal(TensorDType.Float16, loaded.StateDict["lmu.conv_last.weight"].DType);
        using var reloaded = new SparseViTModel(SparseViTConfig.Tiny);
        StateDictCopier.CopyInto(reloaded, loaded.StateDict);
        var w0 = model.state_dict()["lmu.gamma1"].data<float>().ToArray();
        var w1 = reloaded.state_dict()["lmu.gamma1"].data<float>().ToArray();
        Assert.Equal(w0.Select(v => (float)(Half)v), w1);
    }

    [Fact]
    public void PthWriterOutputLoadsInPyTorchWhenInstalled()
    {
        // Runs only where a Python with torch exists (Debian: apt-get install python3-torch); elsewhere it checks nothing.
        const string python = "/usr/bin/python3";
        if (!File.Exists(python)) return;
        using var model = new SparseViTModel(SparseViTConfig.Tiny);
        string path = Path.Combine(_dir, "t.pth");
        PyTorchCheckpointWriter.Write(path, CheckpointExporter.FromModule(model).Tensors, new Dictionary<string, long> { ["step"] = 12 });
        string script =
            "import sys\ntry:\n import torch\nexcept ImportError:\n print('NO_TORCH'); sys.exit(0)\n" +
            "ck = torch.load(sys.argv[1], map_location='cpu', weights_only=True)\n" +
            "sd = ck['model']\nprint(len(sd), ck['step'], float(sd['lmu.conv_last.weight'].double().sum()), int(sd['encoder_net.blocks1.0.norm1.num_batches_tracked']))\n";
        var psi = new System.Diagnostics.ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add(path);
        using var process = System.Diagnostics.Process.Start(psi)!;
        string output = process.StandardOutput.ReadToEnd().Trim();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, error);
        if (output == "NO_TORCH") return;
        var parts = output.Split(' ');
        Assert.Equal(model.state_dict().Count.ToString(), parts[0]);
        Assert.Equal("12", parts[1]);
        double expected = model.state_dict()["lmu.conv_last.weight"].to(ScalarType.Float64).sum().item<double>();
        Assert.Equal(expected, double.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture), 6);
        Assert.Equal("0", parts[3]);
    }
}
