using Google.Protobuf;
using Onnx;

namespace SparseViT.Engine.Onnx;

/// <summary>
/// A small writer of ONNX graphs: named float initializers, int64 constants, and nodes whose outputs get unique names,
/// so a network's forward reads as a sequence of calls.
/// </summary>
internal sealed class OnnxGraph
{
    private readonly GraphProto _graph = new() { Name = "sparsevit" };
    private readonly Dictionary<string, string> _constants = [];
    private int _next;

    public GraphProto Proto => _graph;

    public string Weight(string name, float[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        var bytes = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        tensor.RawData = ByteString.CopyFrom(bytes);
        _graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>An int64 vector (shapes, permutations, indices), shared between nodes that use the same one.</summary>
    public string Int64s(params long[] values)
    {
        string key = "i64:" + string.Join(",", values);
        if (_constants.TryGetValue(key, out var name)) return name;
        name = $"const_{_constants.Count}";
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        _graph.Initializer.Add(tensor);
        return _constants[key] = name;
    }

    /// <summary>A float scalar or vector constant.</summary>
    public string Floats(params float[] values)
    {
        string key = "f32:" + string.Join(",", values.Select(v => BitConverter.SingleToInt32Bits(v)));
        if (_constants.TryGetValue(key, out var name)) return name;
        name = $"const_{_constants.Count}";
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        if (values.Length != 1) tensor.Dims.Add(values.Length);
        tensor.FloatData.AddRange(values);
        _graph.Initializer.Add(tensor);
        return _constants[key] = name;
    }

    /// <summary>ONNX Runtime's contrib operators (Attention and its kind).</summary>
    public const string MicrosoftDomain = "com.microsoft";

    public string Node(string op, string[] inputs, params AttributeProto[] attributes) => Nodes(op, inputs, 1, attributes)[0];

    public string Node(string op, string[] inputs, string domain, params AttributeProto[] attributes)
    {
        string output = Node(op, inputs, attributes);
        _graph.Node[^1].Domain = domain;
        return output;
    }

    public string[] Nodes(string op, string[] inputs, int outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = $"{op}_{_next}" };
        node.Input.AddRange(inputs);
        var names = Enumerable.Range(0, outputs).Select(i => $"{op.ToLowerInvariant()}_{_next}_{i}").ToArray();
        node.Output.AddRange(names);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        _next++;
        return names;
    }

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };
    public static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };
    public static AttributeProto Text(string name, string value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public void Input(string name, params string[] dims) => _graph.Input.Add(Value(name, dims));
    public void Output(string name, params string[] dims) => _graph.Output.Add(Value(name, dims));

    /// <summary>A float tensor value; a numeric dimension is fixed, any other text names a symbolic one ("batch").</summary>
    private static ValueInfoProto Value(string name, string[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (string d in dims)
            shape.Dim.Add(long.TryParse(d, out long v) ? new TensorShapeProto.Types.Dimension { DimValue = v } : new TensorShapeProto.Types.Dimension { DimParam = d });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
