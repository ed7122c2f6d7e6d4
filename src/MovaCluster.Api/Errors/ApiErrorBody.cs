namespace MovaCluster.Api.Errors;

/// <summary>The JSON envelope of an error answer.</summary>
public sealed record ApiErrorBody(ApiErrorDetail Error);
