using Onnx;
using SparseViT.Engine.Model;
using static SparseViT.Engine.Onnx.OnnxGraph;
using static TorchSharp.torch;

namespace SparseViT.Engine.Onnx;

/// <summary>
/// Writes SparseViT's forward as an ONNX graph (opset 17, plus ONNX Runtime's com.microsoft Attention) from a loaded model's
/// configuration and weights, computing what <see cref="SparseViTModel.Probabilities"/> computes: strided-convolution patch
/// embeddings with LayerNorm; convolutional blocks (BatchNorm folded into the 1×1 convolutions it feeds, depthwise
/// convolutions, exact-erf GELU); sparse attention blocks (the partition and merge as Reshape/Transpose, attention as one
/// fused kernel); the learnable feature fusion with bilinear upsampling (half-pixel centres, as PyTorch's
/// align_corners=False); the final upsampling to the input size and the sigmoid. Input "image" (batch×3×S×S, normalised),
/// output "probabilities" (batch×1×S×S); the batch dimension is symbolic.
/// </summary>
public static class SparseViTOnnxExporter
{
    public const int Opset = 17;
    /// <summary>Bumped whenever the graph this code writes changes, so cached graphs of older builders are rebuilt.</summary>
    public const string BuilderVersion = "sparsevit-onnx/4";
    public const string InputName = "image";
    public const string OutputName = "probabilities";

    public static ModelProto Export(SparseViTModel model, string checkpointSha256)
    {
        var weights = new Dictionary<string, (float[] Values, long[] Shape)>(StringComparer.Ordinal);
        using (var scope = NewDisposeScope())
            foreach (var (name, tensor) in model.state_dict())
            {
                if (!tensor.is_floating_point()) continue;
                weights[name] = (tensor.to(ScalarType.Float32).cpu().contiguous().data<float>().ToArray(), tensor.shape);
            }
        var writer = new Writer(new OnnxGraph(), weights, model.Config);
        string output = writer.Model();
        var proto = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "SparseViT.Automation",
            ProducerVersion = BuilderVersion,
            Graph = writer.Graph.Proto,
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = OnnxGraph.MicrosoftDomain, Version = 1 });
        proto.MetadataProps.Add(new StringStringEntryProto { Key = "sparsevit.checkpoint_sha256", Value = checkpointSha256 });
        proto.MetadataProps.Add(new StringStringEntryProto { Key = "sparsevit.builder", Value = BuilderVersion });
        proto.MetadataProps.Add(new StringStringEntryProto { Key = "sparsevit.config", Value = model.Config.ToJson() });
        writer.Graph.Output(output, "batch", "1", model.Config.ImageSize.ToString(), model.Config.ImageSize.ToString());
        return proto;
    }

    private sealed class Writer(OnnxGraph graph, Dictionary<string, (float[] Values, long[] Shape)> weights, SparseViTConfig config)
    {
        public OnnxGraph Graph { get; } = graph;

        public string Model()
        {
            int size = config.ImageSize;
            Graph.Input(InputName, "batch", "3", size.ToString(), size.ToString());
            var c = config.Channels;
            string x = PatchEmbed("encoder_net.patch_embed1", InputName, 4);
            for (int i = 0; i < config.Depths[0]; i++) x = ConvBlock($"encoder_net.blocks1.{i}", x, c[0]);
            x = PatchEmbed("encoder_net.patch_embed2", x, 2);
            for (int i = 0; i < config.Depths[1]; i++) x = ConvBlock($"encoder_net.blocks2.{i}", x, c[1]);
            x = PatchEmbed("encoder_net.patch_embed3", x, 2);
            var features = new string[6];
            int side3 = size / 16, side4 = size / 32;
            // Stages 3 and 4 stay in token layout (batch, H·W, C) from block to block: only the taps and patch_embed4 need maps.
            x = ToTokens(x, c[2], side3);
            for (int i = 0; i < config.Depths[2]; i++)
            {
                x = AttentionBlock($"encoder_net.blocks3.{i}", x, c[2], side3, config.SparsityStage3(i, side3));
                int tap = Array.IndexOf(config.Stage3Taps, i);
                if (tap >= 0) features[tap] = ToMap(x, c[2], side3);
            }
            features[3] = ToMap(LayerNorm("encoder_net.norm3", x, 1e-6f), c[2], side3);
            x = ToTokens(PatchEmbed("encoder_net.patch_embed4", ToMap(x, c[2], side3), 2), c[3], side4);
            for (int i = 0; i < config.Depths[3]; i++)
            {
                x = AttentionBlock($"encoder_net.blocks4.{i}", x, c[3], side4, config.SparsityStage4(i, side4));
                if (i == config.Stage4Tap) features[4] = ToMap(x, c[3], side4);
            }
            features[5] = ToMap(LayerNorm("encoder_net.norm4", x, 1e-6f), c[3], side4);
            string logits = Fusion("lmu", features, c[3], side3 / side4);
            string up = Graph.Node("Resize", [logits, "", Graph.Floats(1, 1, size / side3, size / side3)],
                Text("mode", "linear"), Text("coordinate_transformation_mode", "half_pixel"));
            Graph.Node("Sigmoid", [up]);
            Graph.Proto.Node[^1].Output[0] = OutputName;
            return OutputName;
        }

        private readonly HashSet<string> _written = [];

        private string W(string name)
        {
            if (!weights.TryGetValue(name, out var w)) throw new InvalidOperationException($"the model has no tensor {name}");
            return _written.Add(name) ? Graph.Weight(name, w.Values, w.Shape) : name;
        }

        private long[] Shape(string name) => weights[name].Shape;

        private string Conv(string prefix, string x, long kernel, long stride = 1, long pad = 0, long groups = 1) =>
            Graph.Node("Conv", [x, W(prefix + ".weight"), W(prefix + ".bias")],
                Ints("kernel_shape", kernel, kernel), Ints("strides", stride, stride), Ints("pads", pad, pad, pad, pad), Int("group", groups));

        /// <summary>LayerNorm over the last axis.</summary>
        private string LayerNorm(string prefix, string x, float eps) =>
            Graph.Node("LayerNormalization", [x, W(prefix + ".weight"), W(prefix + ".bias")], Int("axis", -1), Float("epsilon", eps));

        /// <summary>LayerNorm over the channels of an NCHW map.</summary>
        private string ChannelNorm(string prefix, string x, float eps) =>
            Transpose(LayerNorm(prefix, Transpose(x, 0, 2, 3, 1), eps), 0, 3, 1, 2);

        private string Transpose(string x, params long[] perm) => Graph.Node("Transpose", [x], Ints("perm", perm));
        private string Reshape(string x, params long[] shape) => Graph.Node("Reshape", [x, Graph.Int64s(shape)]);
        private string Add(string a, string b) => Graph.Node("Add", [a, b]);
        private string Mul(string a, string b) => Graph.Node("Mul", [a, b]);

        /// <summary>
        /// Exact GELU as (x · (erf(x / √2) + 1)) · 0.5: the operand order ONNX Runtime's GeluFusion recognises, so the five
        /// nodes run as one kernel.
        /// </summary>
        private string Gelu(string x)
        {
            string erf = Graph.Node("Erf", [Graph.Node("Div", [x, Graph.Floats((float)Math.Sqrt(2))])]);
            return Mul(Mul(x, Add(erf, Graph.Floats(1f))), Graph.Floats(0.5f));
        }

        /// <summary>A Linear layer on the last axis: x·Wᵀ + b.</summary>
        private string Linear(string prefix, string x)
        {
            string y = Graph.Node("MatMul", [x, TransposedWeight(prefix)]);
            return weights.ContainsKey(prefix + ".bias") ? Add(y, W(prefix + ".bias")) : y;
        }

        /// <summary>A Linear layer's weight [out, in] stored as Wᵀ [in, out], the right-hand operand of x·Wᵀ.</summary>
        private string TransposedWeight(string prefix)
        {
            var (values, shape) = weights[prefix + ".weight"];
            long outFeatures = shape[0], inFeatures = shape[1];
            var transposed = new float[values.Length];
            for (long o = 0; o < outFeatures; o++)
                for (long i = 0; i < inFeatures; i++) transposed[i * outFeatures + o] = values[o * inFeatures + i];
            return Graph.Weight(prefix + ".weight_t", transposed, inFeatures, outFeatures);
        }

        private string PatchEmbed(string prefix, string x, long patch) =>
            ChannelNorm(prefix + ".norm", Conv(prefix + ".proj", x, patch, stride: patch), 1e-5f);

        /// <summary>
        /// BatchNorm (running statistics, eps 1e-5) folded into the 1×1 convolution it feeds: BN is x·a + b per input channel
        /// with a = γ/√(var + ε) and b = β − mean·a, so conv(BN(x)) = (W·diag(a))·x + (W·b + bias). Computed in double; the
        /// graph then has no BatchNormalization node and no pass over the map for it.
        /// </summary>
        private string NormalizedPointwiseConv(string norm, string conv, string x)
        {
            var gamma = weights[norm + ".weight"].Values;
            var beta = weights[norm + ".bias"].Values;
            var mean = weights[norm + ".running_mean"].Values;
            var variance = weights[norm + ".running_var"].Values;
            var (w, shape) = weights[conv + ".weight"];
            var bias = weights[conv + ".bias"].Values;
            long outputs = shape[0], inputs = shape[1];
            var scale = new double[inputs];
            var shift = new double[inputs];
            for (long i = 0; i < inputs; i++)
            {
                scale[i] = gamma[i] / Math.Sqrt(variance[i] + 1e-5);
                shift[i] = beta[i] - mean[i] * scale[i];
            }
            var folded = new float[w.Length];
            var foldedBias = new float[outputs];
            for (long o = 0; o < outputs; o++)
            {
                double sum = bias[o];
                for (long i = 0; i < inputs; i++)
                {
                    folded[o * inputs + i] = (float)(w[o * inputs + i] * scale[i]);
                    sum += w[o * inputs + i] * shift[i];
                }
                foldedBias[o] = (float)sum;
            }
            return Graph.Node("Conv", [x, Graph.Weight(conv + ".weight_bn", folded, shape), Graph.Weight(conv + ".bias_bn", foldedBias, outputs)],
                Ints("kernel_shape", 1, 1));
        }

        private string ConvBlock(string p, string x, long dim)
        {
            x = Add(x, Conv(p + ".pos_embed", x, 3, pad: 1, groups: dim));
            x = Add(x, Conv(p + ".conv2", Conv(p + ".attn", NormalizedPointwiseConv(p + ".norm1", p + ".conv1", x), 5, pad: 2, groups: dim), 1));
            return Add(x, Conv(p + ".mlp.fc2", Gelu(NormalizedPointwiseConv(p + ".norm2", p + ".mlp.fc1", x)), 1));
        }

        private string ToTokens(string map, long c, long side) => Transpose(Reshape(map, -1, c, side * side), 0, 2, 1);
        private string ToMap(string tokens, long c, long side) => Reshape(Transpose(tokens, 0, 2, 1), -1, c, side, side);

        /// <summary>
        /// SparseAttentionBlock on tokens (batch, H·W, C): attention within sparse (dilated) token groups, then the MLP. With
        /// one group (s = side: global attention) the partition and merge are identities and are left out. The MLP runs on the
        /// map as 1×1 convolutions around its depthwise convolution, so only C-wide tensors change layout, never the 4C hidden.
        /// </summary>
        private string AttentionBlock(string p, string tokens, long c, long side, long s)
        {
            long gh = side / s, n = s * s, hw = side * side;
            string groups = gh == 1 ? tokens : Reshape(Transpose(Reshape(tokens, -1, s, gh, s, gh, c), 0, 2, 4, 1, 3, 5), -1, n, c);
            string a = Attention(p + ".attn", LayerNorm(p + ".norm1", groups, 1e-6f), c);
            if (gh != 1) a = Reshape(Transpose(Reshape(a, -1, gh, gh, s, s, c), 0, 3, 1, 4, 2, 5), -1, hw, c);
            string y = Add(tokens, Mul(W(p + ".gamma_1"), a));
            long hidden = Shape(p + ".mlp.fc1.weight")[0];
            string h = PointwiseConv(p + ".mlp.fc1", ToMap(LayerNorm(p + ".norm2", y, 1e-6f), c, side));
            h = Gelu(Conv(p + ".mlp.dwconv.dwconv", h, 3, pad: 1, groups: hidden));
            return Add(y, Mul(W(p + ".gamma_2"), ToTokens(PointwiseConv(p + ".mlp.fc2", h), c, side)));
        }

        /// <summary>
        /// Multi-head self-attention, qkv projection included, as ONNX Runtime's com.microsoft Attention kernel (scale
        /// head_dim^-½, the default): one node instead of the split, four head transposes, two MatMuls and the softmax.
        /// </summary>
        private string Attention(string p, string x, long c)
        {
            string a = Graph.Node("Attention", [x, TransposedWeight(p + ".qkv"), W(p + ".qkv.bias")], OnnxGraph.MicrosoftDomain,
                Int("num_heads", c / config.HeadDim));
            return Linear(p + ".proj", a);
        }

        /// <summary>A Linear layer applied as a 1×1 convolution to an NCHW map.</summary>
        private string PointwiseConv(string prefix, string x)
        {
            var (values, shape) = weights[prefix + ".weight"];
            string w = Graph.Weight(prefix + ".weight_1x1", values, shape[0], shape[1], 1, 1);
            return Graph.Node("Conv", [x, w, W(prefix + ".bias")], Ints("kernel_shape", 1, 1));
        }

        private string Fusion(string p, string[] features, long c4, long factor)
        {
            string Gamma(int i) => Reshape(W($"{p}.gamma{i}"), 1, c4, 1, 1);
            string Up(string f) => Graph.Node("Resize", [f, "", Graph.Floats(1, 1, factor, factor)],
                Text("mode", "linear"), Text("coordinate_transformation_mode", "half_pixel"));
            var maps = new[]
            {
                Conv($"{p}.conv_layer1", features[0], 1), Conv($"{p}.conv_layer2", features[1], 1),
                Conv($"{p}.conv_layer3", features[2], 1), Conv($"{p}.conv_layer4", features[3], 1),
                Up(features[4]), Up(features[5]),
            };
            string x = Mul(Gamma(1), maps[0]);
            for (int i = 1; i < 6; i++) x = Add(x, Mul(Gamma(i + 1), maps[i]));
            return Conv($"{p}.conv_last", ChannelNorm($"{p}.norm", x, 1e-6f), 1);
        }
    }
}
