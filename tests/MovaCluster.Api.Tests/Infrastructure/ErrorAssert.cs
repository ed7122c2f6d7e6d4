using System.Net;

namespace MovaCluster.Api.Tests.Infrastructure;

/// <summary>Checks an answer is an OpenAI-shaped error with the expected status, code and param.</summary>
public static class ErrorAssert
{
    /// <summary>Returns the error object (<c>{"type","code","message","param"}</c>).</summary>
    public static async Task<System.Text.Json.JsonElement> IsAsync(HttpResponseMessage response, HttpStatusCode status, string code, string? param = null)
    {
        var body = await VideoApi.ReadAsync(response);
        Assert.True(status == response.StatusCode, $"expected {(int)status} {code}, got {(int)response.StatusCode}: {body}");
        var error = body.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("type").GetString()));
        if (param is not null)
        {
            Assert.Equal(param, error.GetProperty("param").GetString());
        }

        return error.Clone();
    }
}
