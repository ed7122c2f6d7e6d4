using System.Text.Json;
using MovaCluster.Api.Tests.Infrastructure;

namespace MovaCluster.Api.Tests.Fuzz;

/// <summary>
/// What every answer of the HTTP surface must be, whatever was asked: never a 5xx, and every error a JSON body of its
/// surface's shape (OpenAI's on /v1, problem details elsewhere; answers Kestrel gives before any path is known carry
/// both). Returns what is wrong, or null.
/// </summary>
public static class AnswerRules
{
    public static string? Check(string? path, int status, string? contentType, byte[] body, bool headRequest)
    {
        if (status >= 500)
        {
            return $"answered {status}";
        }

        if (status < 400 || headRequest)
        {
            return null;
        }

        if (body.Length == 0)
        {
            return $"error {status} with an empty body";
        }

        JsonElement json;
        try
        {
            using var document = JsonDocument.Parse(body);
            json = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return $"error {status} whose body is not JSON ({contentType}): {Preview(body)}";
        }

        if (json.ValueKind != JsonValueKind.Object)
        {
            return $"error {status} whose JSON is not an object";
        }

        var openAi = IsOpenAi(json);
        var problem = IsProblem(json, status);
        return path switch
        {
            null => openAi || problem ? null : $"error {status} is neither an OpenAI error nor problem details: {Preview(body)}",
            _ when ErrorAssert.IsOpenAiPath(path) => openAi && contentType?.StartsWith("application/json", StringComparison.Ordinal) == true
                ? null
                : $"error {status} on {path} is not an OpenAI error as application/json ({contentType}): {Preview(body)}",
            _ => problem && contentType?.StartsWith("application/problem+json", StringComparison.Ordinal) == true
                ? null
                : $"error {status} on {path} is not problem details as application/problem+json ({contentType}): {Preview(body)}",
        };
    }

    private static bool IsOpenAi(JsonElement json) =>
        json.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
        && NonEmpty(error, "message") && NonEmpty(error, "code") && NonEmpty(error, "type") && error.TryGetProperty("param", out _);

    private static bool IsProblem(JsonElement json, int status) =>
        json.TryGetProperty("status", out var value) && value.ValueKind == JsonValueKind.Number && value.GetInt32() == status
        && NonEmpty(json, "type") && NonEmpty(json, "title") && NonEmpty(json, "detail");

    private static bool NonEmpty(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString());

    private static string Preview(byte[] body) => System.Text.Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 160)));
}
