namespace SparseViT.Forensics.Provenance;

/// <summary>Collects status codes in the order checks ran, once each, with the first failure's explanation.</summary>
internal sealed class ProvenanceStatusBuilder
{
    private readonly List<string> _success = [], _informational = [], _failure = [];

    /// <summary>Why the first failure happened, in words, when the code alone does not say.</summary>
    public string? Detail { get; set; }

    public void Succeed(string code) => Add(_success, code);
    public void Inform(string code) => Add(_informational, code);

    public void Fail(string code, string? detail = null)
    {
        Add(_failure, code);
        if (detail is not null) Detail ??= detail;
    }

    public void Include(ProvenanceStatusBuilder other)
    {
        foreach (var c in other._success) Succeed(c);
        foreach (var c in other._informational) Inform(c);
        foreach (var c in other._failure) Fail(c);
        Detail ??= other.Detail;
    }

    public bool HasFailure(string code) => _failure.Contains(code);
    public bool IsInvalid => _failure.Any(c => !C2paStatus.LeavesValid(c));
    public bool IsTrusted => _success.Contains(C2paStatus.SigningCredentialTrusted) && !IsInvalid;

    public ProvenanceStatus Build() => new() { Success = [.. _success], Informational = [.. _informational], Failure = [.. _failure] };

    private static void Add(List<string> list, string code)
    {
        if (!list.Contains(code)) list.Add(code);
    }
}
