using System.Text.Json;
using MovaCluster.Api.Errors;

namespace MovaCluster.Api.Loras;

/// <summary>
/// Reads a create request's <c>lora</c> field: a list of <c>{name, strength}</c> (strength 1 when left out) in the
/// order the adapters apply; a bare name or a list of names is accepted too. In a multipart form the field is that JSON.
/// </summary>
public static class LoraSelectionReader
{
    public const string Param = "lora";

    public static IReadOnlyList<LoraSelection> Read(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => [],
        JsonValueKind.String => [new LoraSelection(value.GetString()!, 1.0)],
        JsonValueKind.Object => [Entry(value, 0)],
        JsonValueKind.Array => [.. value.EnumerateArray().Select(Entry)],
        _ => throw Invalid("lora must be a list of {\"name\", \"strength\"} objects."),
    };

    /// <summary>The multipart form's text: JSON, or a plain adapter name.</summary>
    public static IReadOnlyList<LoraSelection> Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            return [];
        }

        if (trimmed[0] is not ('[' or '{' or '"'))
        {
            return [new LoraSelection(trimmed, 1.0)];
        }

        try
        {
            using var document = JsonDocument.Parse(trimmed);
            return Read(document.RootElement);
        }
        catch (JsonException failure)
        {
            throw new ApiErrorException(ApiError.BadRequest("invalid_json", $"Form field 'lora' is not valid JSON: {failure.Message}", Param));
        }
    }

    private static LoraSelection Entry(JsonElement entry, int index)
    {
        if (entry.ValueKind == JsonValueKind.String)
        {
            return new LoraSelection(entry.GetString()!, 1.0);
        }

        if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
        {
            throw Invalid($"lora[{index}] must be an object with a string name (and optionally a numeric strength).");
        }

        var strength = 1.0;
        if (entry.TryGetProperty("strength", out var given) && given.ValueKind != JsonValueKind.Null)
        {
            strength = given.ValueKind == JsonValueKind.Number ? given.GetDouble() : throw Invalid($"lora[{index}].strength must be a number.");
        }

        foreach (var property in entry.EnumerateObject())
        {
            if (property.Name is not ("name" or "strength"))
            {
                throw Invalid($"lora[{index}] has an unknown field '{property.Name}' (name and strength are allowed).");
            }
        }

        return new LoraSelection(name.GetString()!, strength);
    }

    private static ApiErrorException Invalid(string message) => new(ApiError.BadRequest("invalid_type", message, Param));
}
