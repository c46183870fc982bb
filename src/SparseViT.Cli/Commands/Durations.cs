using System.Globalization;
using System.Text.RegularExpressions;

namespace SparseViT.Cli.Commands;

/// <summary>Durations as people type them on a command line: <c>90s</c>, <c>7m</c>, <c>1h30m</c>, <c>2.5h</c> or <c>01:30:00</c>.</summary>
public static partial class Durations
{
    public static TimeSpan Parse(string text, string option)
    {
        string t = text.Trim().ToLowerInvariant();
        TimeSpan result;
        if (t.Contains(':'))
        {
            if (!TimeSpan.TryParse(t, CultureInfo.InvariantCulture, out result))
                throw new ArgumentException($"{option}: '{text}' is not a duration (e.g. 90s, 7m, 1h30m, 01:30:00)");
        }
        else
        {
            var match = Units().Match(t);
            if (!match.Success || t.Length == 0)
                throw new ArgumentException($"{option}: '{text}' is not a duration (e.g. 90s, 7m, 1h30m, 01:30:00)");
            double seconds = 0;
            if (match.Groups["h"].Success) seconds += 3600 * double.Parse(match.Groups["h"].Value, CultureInfo.InvariantCulture);
            if (match.Groups["m"].Success) seconds += 60 * double.Parse(match.Groups["m"].Value, CultureInfo.InvariantCulture);
            if (match.Groups["s"].Success) seconds += double.Parse(match.Groups["s"].Value, CultureInfo.InvariantCulture);
            result = TimeSpan.FromSeconds(seconds);
        }
        if (result <= TimeSpan.Zero) throw new ArgumentException($"{option}: '{text}' must be longer than zero");
        return result;
    }

    [GeneratedRegex(@"^(?:(?<h>\d+(?:\.\d+)?)h)?(?:(?<m>\d+(?:\.\d+)?)m)?(?:(?<s>\d+(?:\.\d+)?)s?)?$")]
    private static partial Regex Units();
}
