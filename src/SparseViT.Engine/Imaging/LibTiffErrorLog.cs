using System.Text;
using BitMiracle.LibTiff.Classic;

namespace SparseViT.Engine.Imaging;

/// <summary>
/// libtiff reports through a process-wide handler (its default prints to the console, which would corrupt data on
/// stdout); this one keeps each thread's messages for the exception that follows.
/// </summary>
internal sealed class LibTiffErrorLog : TiffErrorHandler
{
    [ThreadStatic] private static List<string>? _messages;

    public static void Reset() => (_messages ??= []).Clear();

    public static string Messages(string fallback) =>
        _messages is { Count: > 0 } m ? string.Join("; ", m.Distinct().Take(3)) : fallback;

    public override void ErrorHandler(Tiff tif, string method, string format, params object[] data) => Add(method, format, data);

    public override void ErrorHandlerExt(Tiff tif, object clientData, string method, string format, params object[] data) { }

    public override void WarningHandler(Tiff tif, string method, string format, params object[] data) { }

    public override void WarningHandlerExt(Tiff tif, object clientData, string method, string format, params object[] data) { }

    private static void Add(string method, string format, object[] data)
    {
        string text;
        try { text = data.Length == 0 ? format : string.Format(System.Globalization.CultureInfo.InvariantCulture, ConvertFormat(format), data); }
        catch (FormatException) { text = format; }
        (_messages ??= []).Add(string.IsNullOrEmpty(method) ? text : $"{method}: {text}");
    }

    /// <summary>libtiff's messages use C printf placeholders in some paths and .NET ones in others.</summary>
    private static string ConvertFormat(string format)
    {
        if (!format.Contains('%')) return format;
        var result = new StringBuilder();
        int argument = 0;
        for (int i = 0; i < format.Length; i++)
        {
            if (format[i] == '%' && i + 1 < format.Length)
            {
                if (format[i + 1] == '%') { result.Append('%'); i++; continue; }
                int j = i + 1;
                while (j < format.Length && !char.IsLetter(format[j])) j++;
                while (j < format.Length && format[j] is 'l' or 'h') j++;
                result.Append('{').Append(argument++).Append('}');
                i = j;
                continue;
            }
            result.Append(format[i] is '{' ? "{{" : format[i] is '}' ? "}}" : format[i].ToString());
        }
        return result.ToString();
    }
}
