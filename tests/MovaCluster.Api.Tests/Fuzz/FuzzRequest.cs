namespace MovaCluster.Api.Tests.Fuzz;

/// <summary>
/// One generated request. <c>{own}</c> in the path stands for one of the fuzzing tenant's own videos, filled in when
/// it is sent (only read-only requests use it, so what the tenant is charged stays countable).
/// </summary>
public sealed record FuzzRequest(string Method, string Path, string? Authorization, string? ContentType, byte[]? Body, bool Streams)
{
    public bool IsCreate => Method == "POST" && (Path == "/v1/videos" || Path == "/v1/videos/");

    public override string ToString() =>
        $"{Method} {Path} auth={Authorization?[..Math.Min(12, Authorization.Length)]} type={ContentType} body={Body?.Length ?? 0}B " +
        (Body is null ? "" : System.Text.Encoding.UTF8.GetString(Body.AsSpan(0, Math.Min(Body.Length, 120))).ReplaceLineEndings("\\n"));
}
