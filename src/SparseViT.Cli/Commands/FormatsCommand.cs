using System.CommandLine;
using System.Text.Json;
using SparseViT.Cli.Output;
using SparseViT.Engine.Imaging;

namespace SparseViT.Cli.Commands;

/// <summary>`sparsevit formats`: what the scanner reads, with which decoder and how it compares with the reference.</summary>
public static class FormatsCommand
{
    public static Command Create(CliConsole console)
    {
        var format = CommonOptions.Format("text", "text", "json");
        var command = new Command("formats", "List the image formats scan, metadata and the cmdlets read: extensions, decoder, and how the decode relates to the authors' PIL pipeline.\n" + ExitCodes.HelpText)
        {
            format,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(format) == "json")
            {
                var rows = ImageFormat.Readable.Select(f => new { id = f.Id, name = f.Name, mimeType = f.MimeType, extensions = f.Extensions, decoder = f.Codec.LibraryName(), reference = f.Reference });
                console.Out.WriteLine(JsonSerializer.Serialize(new { schema = "sparsevit.formats/1", formats = rows }, new JsonSerializerOptions { WriteIndented = true }));
                return ExitCodes.Success;
            }
            int idWidth = ImageFormat.Readable.Max(f => f.Id.Length), extWidth = ImageFormat.Readable.Max(f => Extensions(f).Length);
            console.Out.WriteLine($"{"ID".PadRight(idWidth)}  {"EXTENSIONS".PadRight(extWidth)}  {"DECODER",-13}  REFERENCE");
            foreach (var f in ImageFormat.Readable)
                console.Out.WriteLine($"{f.Id.PadRight(idWidth)}  {Extensions(f).PadRight(extWidth)}  {f.Codec.LibraryName(),-13}  {f.Reference}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Extensions(ImageFormat f) => string.Join(" ", f.Extensions.Select(e => "." + e));
}
