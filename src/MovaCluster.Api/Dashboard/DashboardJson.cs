using System.Text.Json;
using System.Text.Json.Serialization;

namespace MovaCluster.Api.Dashboard;

/// <summary>JSON of the dashboard's own routes: camelCase for the page's script, enums by name.</summary>
public static class DashboardJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };
}
