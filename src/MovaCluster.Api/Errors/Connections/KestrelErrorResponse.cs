using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MovaCluster.Api.Errors.Connections;

/// <summary>
/// Rewrites an error answer Kestrel wrote by itself (a status line of 4xx or 5xx, <c>Content-Length: 0</c>, nothing
/// after the headers) into the same answer with a JSON body in the shape of the request's surface: OpenAI's error on
/// /v1, problem details elsewhere; when not even the request line could be read, problem details that also carry
/// OpenAI's <c>error</c> object. Kestrel's 505 (an HTTP version it does not speak) becomes a 400, since the fault is
/// the client's.
/// </summary>
internal static class KestrelErrorResponse
{
    private static ReadOnlySpan<byte> HeaderEnd => "\r\n\r\n"u8;

    /// <summary>The rewritten answer, or null when <paramref name="response"/> is not an empty Kestrel error answer.</summary>
    public static byte[]? TryAddBody(ReadOnlySpan<byte> response, string? path)
    {
        if (!(response.StartsWith("HTTP/1.1 "u8) || response.StartsWith("HTTP/1.0 "u8)) || response.Length < 12
            || response.IndexOf(HeaderEnd) != response.Length - HeaderEnd.Length
            || !int.TryParse(response.Slice(9, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var status) || status < 400)
        {
            return null;
        }

        var head = Encoding.ASCII.GetString(response[..^HeaderEnd.Length]);
        var lines = head.Split("\r\n");
        if (!lines.Skip(1).Any(line => line.Equals("Content-Length: 0", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        var (answered, code, message) = Describe(status);
        var error = new ApiError(answered, "invalid_request_error", code, message);
        var openAi = path is not null && ApiError.IsOpenAiPath(new PathString(path));
        var body = path is null ? DualBody(error) : openAi ? OpenAiBody(error) : error.ToProblemJson(path);
        var text = new StringBuilder();
        text.Append(lines[0][..9]).Append(answered.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(ProblemTypes.TitleOf(answered)).Append("\r\n");
        foreach (var line in lines.Skip(1).Where(line => !line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)))
        {
            text.Append(line).Append("\r\n");
        }

        text.Append("Content-Type: ").Append(openAi ? "application/json" : ApiError.ProblemContentType).Append("\r\n");
        text.Append("Content-Length: ").Append(body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n\r\n");
        return [.. Encoding.ASCII.GetBytes(text.ToString()), .. body];
    }

    private static (int Status, string Code, string Message) Describe(int status) => status switch
    {
        400 => (400, "malformed_request", "The request is not valid HTTP: its request line, a header or its framing could not be parsed."),
        408 => (408, "request_timeout", "The request's headers did not arrive in time."),
        411 => (411, "length_required", "The request has a body but neither Content-Length nor chunked Transfer-Encoding."),
        413 => (413, "request_too_large", "The request body is larger than the server accepts."),
        414 => (414, "url_too_long", "The request line is longer than the server accepts."),
        431 => (431, "headers_too_large", "The request headers are larger than the server accepts."),
        505 => (400, "http_version_not_supported", "The request uses an HTTP version this server does not speak (HTTP/1.0, 1.1 or 2)."),
        _ when status >= 500 => (400, "malformed_request", "The request could not be processed as HTTP."),
        _ => (status, "bad_request", "The request was refused before it reached the API."),
    };

    private static byte[] OpenAiBody(ApiError error) =>
        JsonSerializer.SerializeToUtf8Bytes(new ApiErrorBody(new ApiErrorDetail(error.Type, error.Code, error.Message, null)), Json.GatewayJson.Options);

    private static byte[] DualBody(ApiError error)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", ProblemTypes.For(error.Status));
            json.WriteString("title", ProblemTypes.TitleOf(error.Status));
            json.WriteNumber("status", error.Status);
            json.WriteString("detail", error.Message);
            json.WriteString("code", error.Code);
            json.WriteStartObject("error");
            json.WriteString("type", error.Type);
            json.WriteString("code", error.Code);
            json.WriteString("message", error.Message);
            json.WriteNull("param");
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
