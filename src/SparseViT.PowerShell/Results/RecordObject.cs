using System.Management.Automation;
using System.Text.Json;
using SparseViT.Forensics.Records;

namespace SparseViT.PowerShell;

/// <summary>
/// A <see cref="ForensicRecord"/> as PowerShell objects built from its one JSON form (<see cref="ForensicRecordJson"/>):
/// nested PSCustomObjects with the record's camelCase names and kebab-case enum values. `ConvertTo-Json` of it is the
/// CLI's record, property access is case-insensitive (<c>$r.Record.Scores.Regions</c>), and nothing shows up as a
/// .NET type name.
/// </summary>
internal static class RecordObject
{
    public static PSObject From(ForensicRecord record)
    {
        using var document = JsonDocument.Parse(ForensicRecordJson.SerializeToUtf8Bytes(record));
        return (PSObject)Convert(document.RootElement)!;
    }

    private static object? Convert(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => ToObject(element),
        JsonValueKind.Array => element.EnumerateArray().Select(Convert).ToArray(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out long integer) ? integer : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static PSObject ToObject(JsonElement element)
    {
        var result = new PSObject();
        foreach (var property in element.EnumerateObject())
            result.Properties.Add(new PSNoteProperty(property.Name, Convert(property.Value)));
        return result;
    }
}
