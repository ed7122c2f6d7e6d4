namespace MovaCluster.Api.Videos;

/// <summary>Why a video failed (OpenAI's <c>error{code,message}</c>).</summary>
public sealed record VideoError(string Code, string Message);
