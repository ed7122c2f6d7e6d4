using System.Text.Json;

namespace MovaCluster.Api.Tests.Infrastructure;

/// <summary>One received SSE event.</summary>
public sealed record ServerSentEvent(long? Id, string Type, JsonElement Data);
