using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MovaCluster.Api.Errors.Connections;

/// <summary>
/// Rewrites an error answer Kestrel wrote by itself (a status line of 4xx or 5xx, <c>Content-Length: 0</c>, nothing
/// after the headers) into the same answer with a JSON body. The request was not parsed, so its path, and with it the
/// shape its client expects, is unknown: the body is problem details that also carries OpenAI's <c>error</c> object.
/// Kestrel's 505 (an HTTP version it does not speak) becomes a 400, since the fault is the client's.
/// </summary>
internal static class KestrelErrorResponse
{
    private static ReadOnlySpan<byte> HeaderEnd => "\r\n\r\n"u8;

    /// <summary>The rewritten answer, or null when <paramref name="response"/> is not an empty Kestrel error answer.</summary>
    public static byte[]? TryAddBody(ReadOnlySpan<byte> response)
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
        var body = Body(answered, code, message);
        var text = new StringBuilder();
        text.Append(lines[0][..9]).Append(answered.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(ProblemTypes.TitleOf(answered)).Append("\r\n");
        foreach (var line in lines.Skip(1).Where(line => !line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)))
        {
            text.Append(line).Append("\r\n");
        }

        text.Append("Content-Type: ").Append(ApiError.ProblemContentType).Append("\r\n");
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

    private static byte[] Body(int status, string code, string message)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", ProblemTypes.For(status));
            json.WriteString("title", ProblemTypes.TitleOf(status));
            json.WriteNumber("status", status);
            json.WriteString("detail", message);
            json.WriteString("code", code);
            json.WriteStartObject("error");
            json.WriteString("type", "invalid_request_error");
            json.WriteString("code", code);
            json.WriteString("message", message);
            json.WriteNull("param");
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
