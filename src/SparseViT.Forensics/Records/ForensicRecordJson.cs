using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SparseViT.Forensics.Records;

/// <summary>
/// The one JSON shape of <see cref="ForensicRecord"/>: camelCase properties, enums as kebab-case strings
/// ("ok", "no-evidence", "medium"), nulls written so every field is always present, non-ASCII kept readable.
/// </summary>
public static class ForensicRecordJson
{
    public static JsonSerializerOptions Options { get; } = Create(indented: false);

    public static JsonSerializerOptions IndentedOptions { get; } = Create(indented: true);

    public static string Serialize(ForensicRecord record, bool indented = false) =>
        JsonSerializer.Serialize(record, indented ? IndentedOptions : Options);

    public static byte[] SerializeToUtf8Bytes(ForensicRecord record) => JsonSerializer.SerializeToUtf8Bytes(record, Options);

    /// <param name="source">Named in the error, e.g. "results.jsonl line 12".</param>
    public static ForensicRecord Deserialize(string json, string source = "record")
    {
        try
        {
            var record = JsonSerializer.Deserialize<ForensicRecord>(json, Options)
                ?? throw new InvalidDataException($"{source}: null instead of a forensic record.");
            if (record.Schema != ForensicRecord.SchemaId)
                throw new InvalidDataException($"{source}: schema '{record.Schema}' is not '{ForensicRecord.SchemaId}'.");
            return record;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not a valid forensic record ({e.Message}).", e);
        }
    }

    private static JsonSerializerOptions Create(bool indented)
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DictionaryKeyPolicy = null,
            WriteIndented = indented,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
