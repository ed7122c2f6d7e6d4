using System.Net;
using System.Text.Json;

namespace MovaCluster.Api.Tests.Infrastructure;

/// <summary>
/// Checks an answer is an error of the expected status, code and param in the shape of its surface: OpenAI's
/// <c>{"error":{...}}</c> on /v1, problem details (application/problem+json with code and param) elsewhere.
/// </summary>
public static class ErrorAssert
{
    /// <summary>Returns the error object (<c>{"type","code","message","param"}</c>).</summary>
    public static async Task<System.Text.Json.JsonElement> IsAsync(HttpResponseMessage response, HttpStatusCode status, string code, string? param = null)
    {
        var body = await VideoApi.ReadAsync(response);
        Assert.True(status == response.StatusCode, $"expected {(int)status} {code}, got {(int)response.StatusCode}: {body}");
        var path = response.RequestMessage?.RequestUri?.AbsolutePath ?? "";
        var detail = IsOpenAiPath(path) ? OpenAiError(response, body) : Problem(response, body);
        Assert.Equal(code, detail.GetProperty("code").GetString());
        if (param is not null)
        {
            Assert.Equal(param, detail.GetProperty("param").GetString());
        }

        return detail.Clone();
    }

    public static bool IsOpenAiPath(string path) => path.Equals("/v1", StringComparison.OrdinalIgnoreCase) || path.StartsWith("/v1/", StringComparison.OrdinalIgnoreCase);

    /// <summary>The <c>error</c> object of an OpenAI-shaped answer, its required fields checked.</summary>
    public static JsonElement OpenAiError(HttpResponseMessage response, JsonElement body)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(JsonValueKind.Object, body.ValueKind);
        var error = body.GetProperty("error");
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("code").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("type").GetString()));
        Assert.True(error.TryGetProperty("param", out _), "OpenAI errors carry param (null when none)");
        return error;
    }

    /// <summary>A problem details answer, its required fields checked; returned whole (code and param are top-level members).</summary>
    public static JsonElement Problem(HttpResponseMessage response, JsonElement body)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(JsonValueKind.Object, body.ValueKind);
        Assert.Equal((int)response.StatusCode, body.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("type").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("detail").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("code").GetString()));
        return body;
    }
}
