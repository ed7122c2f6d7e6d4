using System.Globalization;
using System.Text;

namespace MovaCluster.Api.Tests.Fuzz;

/// <summary>
/// Seeded malformed HTTP/1.x on the wire: broken request lines, header syntax and sizes over Kestrel's limits,
/// unsupported versions, overflowing or malformed chunk sizes, conflicting lengths, bodies shorter than announced.
/// <see cref="RawRequest.MayGoUnanswered"/> marks requests that end before they are whole, which a server may
/// simply close on.
/// </summary>
public sealed class RawRequests(int seed, string tenantKey)
{
    private readonly Random _random = new(seed);

    public IEnumerable<RawRequest> Take(int count)
    {
        for (var i = 0; i < count; i++)
        {
            yield return Next();
        }
    }

    private RawRequest Next()
    {
        var auth = $"Authorization: Bearer {tenantKey}\r\n";
        var json = "{\"prompt\":\"a fox\",\"model\":\"mova-tiny\",\"size\":\"64x48\",\"num_frames\":9,\"fps\":8,\"num_inference_steps\":2}";
        return _random.Next(26) switch
        {
            0 => Raw("GARBAGE\r\n\r\n"),
            1 => new RawRequest(null, RandomBytes(1, 300), MayGoUnanswered: true),
            2 => Raw($"GET /health HTTP/{Pick(["9.9", "2.0", "1.2", "0.9", "1.", "x"])}\r\nHost: x\r\n\r\n", "/health"),
            3 => Raw("GET /v1/videos HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n", "/v1/videos"),
            4 => Raw("GET /v1/videos HTTP/1.1\r\nHost: x\r\nBad Name: v\r\n\r\n", "/v1/videos"),
            5 => Raw($"GET /v1/videos HTTP/1.1\r\nHost: x\r\n{auth}X-Test: a\u0001b\r\n\r\n", "/v1/videos"),
            6 => Raw($"GET /{new string('a', _random.Next(9_000, 20_000))} HTTP/1.1\r\nHost: x\r\n\r\n"),
            7 => Raw($"GET /v1/videos HTTP/1.1\r\nHost: x\r\nX-Big: {new string('h', _random.Next(33_000, 60_000))}\r\n\r\n", "/v1/videos"),
            8 => Chunked($"{Pick(["FFFFFFFFFFFFFFFFFFFF", "7FFFFFFFFFFFFFFF0", "-1", "zz", "1;" + new string('e', 5000), "8000000000000000"])}\r\nabc\r\n0\r\n\r\n"),
            9 => Chunked($"{json.Length:X}\r\n{json}0\r\n\r\n"),
            10 => Raw($"POST /v1/videos HTTP/1.1\r\nHost: x\r\n{auth}Content-Type: application/json\r\nContent-Length: {json.Length}\r\nTransfer-Encoding: chunked\r\n\r\n{json.Length:X}\r\n{json}\r\n0\r\n\r\n", "/v1/videos"),
            11 => Raw($"POST /v1/videos HTTP/1.1\r\nHost: x\r\n{auth}Content-Type: application/json\r\nContent-Length: {json.Length}\r\nContent-Length: 3\r\n\r\n{json}", "/v1/videos"),
            12 => Raw($"POST /v1/videos HTTP/1.1\r\nHost: x\r\n{auth}Content-Type: application/json\r\nContent-Length: {Pick(["-1", "abc", "1e3", "99999999999999999999", " "])}\r\n\r\n{json}", "/v1/videos"),
            13 => Truncated($"POST /v1/videos HTTP/1.1\r\nHost: x\r\n{auth}Content-Type: application/json\r\nContent-Length: {json.Length + 500}\r\n\r\n{json}"),
            14 => Truncated(MultipartHead(auth, out var body) + body[..(body.Length / 2)]),
            15 => Raw("GET http://evil.example/admin/queue HTTP/1.1\r\nHost: x\r\n\r\n"),
            16 => Raw("GET /health HTTP/1.1\r\n\r\n", "/health"),
            17 => Raw("GET /health HTTP/1.0\r\n\r\n", "/health"),
            18 => Raw($"GET /v1/videos HTTP/1.1\r\nHost: x\r\n{auth}X-Folded: a\r\n b\r\n\r\n", "/v1/videos"),
            19 => Raw($"GET /v1/videos/{Pick(["%zz", "%00", "%FF%FE", "..%2F..%2Fadmin", "%C0%AE%C0%AE"])} HTTP/1.1\r\nHost: x\r\n{auth}Connection: close\r\n\r\n", "/v1/videos/x"),
            20 => Truncated($"POST /v1/videos HTTP/1.1\r\nHost: x\r\n{auth}Content-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: {json.Length}\r\n\r\n{json[..10]}"),
            21 => Raw($"{Pick(["FOO", "PUT", "DELETE", "TRACE", "get"])} {Pick(["/health", "/alive", "/metrics"])} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", "/health"),
            22 => Raw("GET /v1/videos HTTP/1.1\r\nHost: x\r\n" + string.Concat(Enumerable.Range(0, 140).Select(i => $"X-H{i}: v\r\n")) + "\r\n", "/v1/videos"),
            23 => new RawRequest(null, Encoding.ASCII.GetBytes($"GET /v1/videos HTTP/1.1\r\nHost: x\r\n{auth}"), MayGoUnanswered: true),
            24 => Raw($"POST /v1/videos HTTP/1.1\r\nHost: x\r\n{auth}Content-Type: application/json\r\nTransfer-Encoding: {Pick(["gzip", "identity", "chunked, gzip", "xchunked"])}\r\nConnection: close\r\n\r\n{json}", "/v1/videos"),
            _ => Raw($"\u0000\u0001GET / HTTP/1.1\r\nHost: x\r\n\r\n"),
        };
    }

    private static RawRequest Raw(string text, string? path = null) => new(path, Encoding.Latin1.GetBytes(text), MayGoUnanswered: false);

    private RawRequest Chunked(string chunks) =>
        Raw($"POST /v1/videos HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {tenantKey}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n{chunks}", "/v1/videos");

    private static RawRequest Truncated(string text) => new("/v1/videos", Encoding.Latin1.GetBytes(text), MayGoUnanswered: true);

    private static string MultipartHead(string auth, out string body)
    {
        const string boundary = "raw-boundary";
        body = $"--{boundary}\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\na fox\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nmova-tiny\r\n--{boundary}--\r\n";
        return $"POST /v1/videos HTTP/1.1\r\nHost: x\r\n{auth}Content-Type: multipart/form-data; boundary={boundary}\r\n" +
            $"Content-Length: {body.Length.ToString(CultureInfo.InvariantCulture)}\r\n\r\n";
    }

    private byte[] RandomBytes(int min, int max)
    {
        var bytes = new byte[_random.Next(min, max)];
        _random.NextBytes(bytes);
        return bytes;
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];
}

/// <summary>Raw request bytes and the path they target (null when the request line itself is broken).</summary>
public sealed record RawRequest(string? Path, byte[] Bytes, bool MayGoUnanswered)
{
    public override string ToString() => Encoding.Latin1.GetString(Bytes.AsSpan(0, Math.Min(Bytes.Length, 100))).ReplaceLineEndings("\\n");
}
