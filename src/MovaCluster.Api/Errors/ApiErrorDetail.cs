namespace MovaCluster.Api.Errors;

/// <summary>OpenAI's error fields.</summary>
public sealed record ApiErrorDetail(string Type, string Code, string Message, string? Param);
