using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace MovaCluster.Model.Configs;

/// <summary>
/// Reads a component config.json the way the official loader does: keys starting with '_' are dropped, every
/// other key must be a constructor argument (snake_case property of the record), and the values are validated.
/// </summary>
public static class ConfigJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
        ReadCommentHandling = JsonCommentHandling.Disallow,
    };

    /// <summary>Reads and validates <paramref name="path"/> (a config.json file, or a folder containing one).</summary>
    public static T Load<T>(string path)
        where T : IComponentConfig
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var file = Directory.Exists(path) ? Path.Combine(path, "config.json") : path;
        if (!File.Exists(file))
        {
            throw new FileNotFoundException($"Config file '{Path.GetFullPath(file)}' does not exist.", file);
        }

        return Parse<T>(File.ReadAllText(file), Path.GetFullPath(file));
    }

    /// <summary>Parses and validates config JSON text; <paramref name="sourceName"/> names it in errors.</summary>
    public static T Parse<T>(string json, string sourceName)
        where T : IComponentConfig
    {
        ArgumentNullException.ThrowIfNull(json);
        T? config;
        try
        {
            if (JsonNode.Parse(json) is not JsonObject root)
            {
                throw new InvalidDataException($"Config '{sourceName}' is not a JSON object.");
            }

            foreach (var key in root.Select(p => p.Key).Where(k => k.StartsWith('_')).ToList())
            {
                root.Remove(key);
            }

            config = root.Deserialize<T>(Options);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Config '{sourceName}' cannot be read as {typeof(T).Name}: {ex.Message}", ex);
        }

        if (config is null)
        {
            throw new InvalidDataException($"Config '{sourceName}' is null.");
        }

        var errors = config.Validate();
        if (errors.Count > 0)
        {
            throw new InvalidDataException($"Config '{sourceName}' is invalid: {string.Join(" ", errors)}");
        }

        return config;
    }
}
