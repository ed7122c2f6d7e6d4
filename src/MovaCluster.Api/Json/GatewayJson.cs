using System.Text.Json;

namespace MovaCluster.Api.Json;

/// <summary>The wire format of the API: snake_case names, as OpenAI's API and its SDKs expect.</summary>
public static class GatewayJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
    };
}
