namespace MovaCluster.Gateway.Errors;

/// <summary>OpenAI's error fields.</summary>
public sealed record ApiErrorDetail(string Type, string Code, string Message, string? Param);
