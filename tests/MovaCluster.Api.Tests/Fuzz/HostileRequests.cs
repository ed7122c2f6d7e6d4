using System.Globalization;
using System.Text;

namespace MovaCluster.Api.Tests.Fuzz;

/// <summary>
/// Seeded generator of hostile requests over every route of the API, admin and dashboard surfaces and the host's
/// own paths: malformed and mistyped JSON (lone surrogates, invalid UTF-8, non-ASCII digits, wrong types, deep
/// nesting, truncation), broken multipart and forms, damaged images, dangerous webhook URLs, odd ids, methods,
/// queries and keys. Requests that change state never name the fuzzing tenant's own videos or the tenants under
/// watch, so whatever it ends up charged is exactly what its accepted creates asked for.
/// </summary>
public sealed class HostileRequests(int seed, string tenantKey, string operatorKey, string bystanderVideoId)
{
    private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "FOO", "PROPFIND"];
    private static readonly string[] Variants = ["video", "thumbnail", "spritesheet", "", "poster", "../../etc/passwd", "%00", "VIDEO"];
    private static readonly string[] Priorities = ["interactive", "standard", "batch", "urgent", "", "0", "Batch", "%20"];

    private readonly Random _random = new(seed);

    public IEnumerable<FuzzRequest> Take(int count)
    {
        for (var i = 0; i < count; i++)
        {
            yield return Next();
        }
    }

    private FuzzRequest Next()
    {
        var request = _random.Next(100) switch
        {
            < 34 => Create(),
            < 46 => VideoRoute(),
            < 60 => AdminRoute(),
            < 76 => DashboardRoute(),
            < 88 => HostRoute(),
            _ => Anything(),
        };
        if (_random.Next(100) < 12 && !request.IsCreate)
        {
            // Any method on any route: 405s and 404s need bodies too. The tenant's own videos are never cancelled or deleted.
            var method = Pick(Methods);
            request = request.Path.Contains("{own}", StringComparison.Ordinal) && method is "POST" or "DELETE" ? request : request with { Method = method };
        }

        return request;
    }

    private FuzzRequest Create()
    {
        var auth = Chance(90) ? Bearer(tenantKey) : Pick([null, "Bearer ", "Bearer mova_sk_nope", "Basic Zm9vOmJhcg==", "garbage"]);
        var path = Chance(95) ? "/v1/videos" : "/v1/videos/";
        return _random.Next(100) switch
        {
            < 55 => new FuzzRequest("POST", path, auth, Pick(["application/json", "application/json; charset=utf-8", "application/json; charset=latin1", "text/json"]), JsonBody(), false),
            < 80 => Multipart(path, auth),
            < 88 => new FuzzRequest("POST", path, auth, "application/x-www-form-urlencoded", Encoding.UTF8.GetBytes(FormBody()), false),
            _ => new FuzzRequest("POST", path, auth, Pick([null, "text/plain", "application/xml", "multipart/mixed", "image/png", "application/json-patch+json"]), RandomBytes(0, 300), false),
        };
    }

    private byte[] JsonBody()
    {
        if (Chance(6))
        {
            return Pick<Func<byte[]>>([
                () => Encoding.UTF8.GetBytes(new string('[', 2000) + new string(']', 2000)),
                () => Encoding.UTF8.GetBytes("null"),
                () => Encoding.UTF8.GetBytes("[\"prompt\"]"),
                () => Encoding.UTF8.GetBytes("\"a cat\""),
                () => [],
                () => [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("{\"prompt\":\"bom\"}")],
            ])();
        }

        var fields = BaseFields();
        for (var mutations = _random.Next(1, 4); mutations > 0; mutations--)
        {
            MutateField(fields);
        }

        var text = "{" + string.Join(",", fields.Select(pair => $"{pair.Key}:{pair.Value}")) + "}";
        var bytes = Encoding.UTF8.GetBytes(text).ToList();
        switch (_random.Next(100))
        {
            case < 6:
                var keep = _random.Next(bytes.Count);
                bytes.RemoveRange(keep, bytes.Count - keep);
                break;
            case < 12:
                // Invalid UTF-8 inside a string value.
                var quote = bytes.LastIndexOf((byte)'"');
                bytes.InsertRange(Math.Max(1, quote), Pick<byte[]>([[0xC3, 0x28], [0xFF], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xC0, 0xAF]]));
                break;
            case < 15:
                bytes.AddRange(Encoding.UTF8.GetBytes(Pick([",", "}", " trailing", "\u0000"])));
                break;
        }

        return [.. bytes];
    }

    private Dictionary<string, string> BaseFields() => new()
    {
        ["\"prompt\""] = "\"a red fox runs through snow\"",
        ["\"model\""] = "\"mova-tiny\"",
        ["\"size\""] = "\"64x48\"",
        ["\"num_frames\""] = "9",
        ["\"fps\""] = "8",
        ["\"num_inference_steps\""] = "2",
        ["\"seed\""] = _random.Next(1000).ToString(CultureInfo.InvariantCulture),
    };

    private void MutateField(Dictionary<string, string> fields)
    {
        switch (_random.Next(16))
        {
            case 0:
                fields["\"prompt\""] = Pick(["1", "true", "null", "\"\"", "\"\\u200b\\u200b\\u2060\"", "\"\\u0000\"", "\"a\\u0000b\"", "\"\\ud800\"", "\"x\\udfff\"",
                    "\"   \\t \"", "\"\\ufeff\"", "\"\\u202e\\u202d\"", "[\"a\"]", "{\"text\":\"a\"}", $"\"{new string('a', 4100)}\"", "\"🦊 in snow\"", "\"\\u034f\"", "\"a\\u001bb\""]);
                break;
            case 1:
                fields["\"size\""] = Pick(["\"６４x４８\"", "\"٦٤x٤٨\"", "\"64x48x\"", "\"0x0\"", "\"-64x48\"", "\"99999x99999\"", "\"64×48\"", "\"64X48\"", "\"1e3x48\"",
                    "\" 64 x 48 \"", "\"64x48\\u0000\"", "6448", "true", "\"\"", "\"65x48\"", "\"1280x720\"", "\"00064x00048\"", "\"4294967296x16\""]);
                break;
            case 2:
                fields[Pick(["\"num_frames\"", "\"fps\"", "\"num_inference_steps\"", "\"seconds\""])] = Pick(["0", "-1", "10", "4294967297", "1e309", "\"9\"", "9.0", "9.5",
                    "\"nine\"", "true", "[]", "{}", "null", "-0", "1e-400", "\"0x9\"", "99999999999999999999999", "\"\\u0669\"", "\"4\""]);
                break;
            case 3:
                fields["\"seed\""] = Pick(["-1", "9223372036854775808", "\"0x10\"", "1e20", "\"\"", "null", "1.5", "\"42\""]);
                break;
            case 4:
                fields["\"guidance_scale\""] = Pick(["NaN", "\"NaN\"", "\"Infinity\"", "1e400", "-1", "31", "4.5", "\"five\""]);
                break;
            case 5:
                fields["\"model\""] = Pick(["\"mova-360p\"", "\"mova-720p\"", "\"sora-3\"", "\"\"", "1", "null", "\"MOVA-TINY\"", "\"mova-tiny\\u0000\"", "\"\\ud83d\""]);
                break;
            case 6:
                fields["\"priority\""] = Pick(["\"urgent\"", "\"batch\"", "\"interactive\"", "1", "\"\"", "\"Batch\""]);
                break;
            case 7:
                fields["\"metadata\""] = Pick(["\"x\"", "[]", "{\"a\":1}", "{\"a\":\"b\"}", "null", "{\"\\ud800\":\"v\"}", "{\"k\":\"\\udc00\"}",
                    "{" + string.Join(",", Enumerable.Range(0, 40).Select(i => $"\"k{i}\":\"v\"")) + "}", $"{{\"{new string('k', 100)}\":\"v\"}}"]);
                break;
            case 8:
                fields["\"webhook_url\""] = Pick(["\"http://127.0.0.1:9/hook\"", "\"https://user:pass@example.com/hook\"", "\"ftp://example.com/\"", "\"https://[::1]/\"",
                    "\"https://2130706433/\"", "\"https://169.254.169.254/latest/meta-data\"", "\"http://localhost/admin\"", "\"javascript:alert(1)\"",
                    "\"https://10.0.0.1/\"", "\"https://192.168.1.1/\"", "\"https://[::ffff:127.0.0.1]/\"", "\"https://0x7f.1/\"", "\"https://hooks.invalid/x\"", "\"\"", "\"not a url\"", "1"]);
                break;
            case 9:
                fields["\"input_reference\""] = Pick([
                    $"{{\"image_url\":\"data:image/png;base64,{Convert.ToBase64String(FuzzImages.GarbageAfterPngMagic)}\"}}",
                    $"{{\"image_url\":\"data:image/png;base64,{Convert.ToBase64String(FuzzImages.TruncatedPng)}\"}}",
                    $"{{\"image_url\":\"data:image/png;base64,{Convert.ToBase64String(FuzzImages.HugeDimensionsPng)}\"}}",
                    $"{{\"image_url\":\"data:image/png;base64,{Convert.ToBase64String(FuzzImages.TinyPng)}\"}}",
                    "{\"image_url\":\"data:image/png;base64,!!!!\"}", "{\"image_url\":\"https://example.com/a.png\"}", "{\"file_id\":\"file_1\"}",
                    "\"data:image/png;base64,\"", "42", "[]", "{\"image_url\":7}", "{\"image_url\":\"data:,\"}"]);
                break;
            case 10:
                fields["\"extra_body\""] = Pick(["{\"num_frames\":9,\"fps\":8}", "{\"prompt\":2}", "\"x\"", "{\"extra_body\":{\"prompt\":\"deep\"}}", "{\"size\":\"６４x４８\"}"]);
                break;
            case 11:
                fields[Pick(["\"\\ud800\"", "\"\\udfffkey\"", "\"\"", "\"prompt\\u0000\"", "\"unknown_field\""])] = "\"v\"";
                break;
            case 12:
                fields["\"negative_prompt\""] = Pick(["\"\\u200b\"", "1", "\"\\u0000\"", "\"blurry\"", "\"\\ud800\""]);
                break;
            case 13:
                fields.Remove("\"prompt\"");
                break;
            case 14:
                fields["\"size\""] = "\"64x48\"";
                fields["\"model\""] = Pick(["\"mova-360p\"", "\"mova-720p\""]);
                break;
            default:
                fields["\"seconds\""] = Pick(["\"1\"", "1", "\"2\"", "\"0.5\"", "\"-2\"", "\"８\""]);
                break;
        }
    }

    private FuzzRequest Multipart(string path, string? auth)
    {
        var boundary = "----fuzz" + _random.Next(1_000_000).ToString(CultureInfo.InvariantCulture);
        var body = new StringBuilder();
        void Field(string name, string value) =>
            body.Append("--").Append(boundary).Append("\r\nContent-Disposition: form-data; name=\"").Append(name).Append("\"\r\n\r\n").Append(value).Append("\r\n");
        Field("prompt", Pick(["a fox", "", "\u200b", "\0", "a fox"]));
        Field("model", "mova-tiny");
        Field("size", Pick(["64x48", "６４x４８", "64x48"]));
        Field("num_frames", "9");
        Field("fps", "8");
        Field("num_inference_steps", "2");
        if (Chance(20))
        {
            Field(Pick(["metadata", "extra_body"]), Pick(["{\"a\":\"\\ud800\"}", "not json", "{\"a\":\"b\"}", "[1]"]));
        }

        var bytes = Encoding.UTF8.GetBytes(body.ToString()).ToList();
        if (Chance(60))
        {
            var image = Pick([FuzzImages.TinyPng, FuzzImages.GarbageAfterPngMagic, FuzzImages.TruncatedPng, FuzzImages.HugeDimensionsPng, FuzzImages.NotAnImage, FuzzImages.TinyJpegHeaderOnly]);
            bytes.AddRange(Encoding.UTF8.GetBytes($"--{boundary}\r\nContent-Disposition: form-data; name=\"input_reference\"; filename=\"r.png\"\r\nContent-Type: image/png\r\n\r\n"));
            bytes.AddRange(image);
            bytes.AddRange("\r\n"u8.ToArray());
        }

        var contentType = $"multipart/form-data; boundary={boundary}";
        switch (_random.Next(100))
        {
            case < 45:
                bytes.AddRange(Encoding.UTF8.GetBytes($"--{boundary}--\r\n"));
                break;
            case < 60:
                // Truncated: no closing boundary, maybe cut inside a section.
                bytes = bytes.Take(_random.Next(bytes.Count / 2, bytes.Count)).ToList();
                break;
            case < 70:
                contentType = "multipart/form-data; boundary=other-boundary";
                bytes.AddRange(Encoding.UTF8.GetBytes($"--{boundary}--\r\n"));
                break;
            case < 78:
                contentType = "multipart/form-data";
                break;
            case < 85:
                contentType = $"multipart/form-data; boundary={new string('b', 200)}";
                break;
            case < 92:
                bytes.InsertRange(0, Encoding.UTF8.GetBytes($"--{boundary}\r\n\r\nno headers at all\r\n"));
                bytes.AddRange(Encoding.UTF8.GetBytes($"--{boundary}--\r\n"));
                break;
            default:
                bytes.AddRange(Encoding.UTF8.GetBytes($"--{boundary}\r\nContent-Disposition: form-data; name=\"x\"\r\n"));
                break;
        }

        return new FuzzRequest("POST", path, auth, contentType, [.. bytes], false);
    }

    private string FormBody() => Pick([
        "prompt=a+fox&model=mova-tiny&size=64x48&num_frames=9&fps=8&num_inference_steps=2",
        "prompt=%00&model=mova-tiny", "prompt=%E2%80%8B", "prompt=%FF%FE&size=%EF%BC%96%EF%BC%94x48", "prompt", "=&=&&", "prompt=a&prompt=b&size=64x48&model=mova-tiny",
        "prompt=a%ZZ", new string('a', 3000) + "=b",
    ]);

    private FuzzRequest VideoRoute()
    {
        var id = VideoId(mayBeOwn: true);
        var safe = id == "{own}";
        return _random.Next(7) switch
        {
            0 => Get($"/v1/videos{Query("limit", ["1", "0", "-1", "101", "abc", "1e9", "%00", "20"], "order", ["asc", "desc", "sideways", ""], "after", [VideoId(false), "{own}", ""])}"),
            1 => Get($"/v1/videos/{id}"),
            2 => safe ? Get($"/v1/videos/{id}") : new FuzzRequest("DELETE", $"/v1/videos/{id}", Bearer(tenantKey), null, null, false),
            3 => safe ? Get($"/v1/videos/{id}/content") : new FuzzRequest("POST", $"/v1/videos/{id}/cancel", Bearer(tenantKey), null, null, false),
            4 => Get($"/v1/videos/{id}/content{Query("variant", Variants)}"),
            5 => Get($"/v1/videos/{id}/events{Query("after", ["0", "-1", "abc", "99999999999999999999", "1"])}") with { Streams = true },
            _ => Get($"/v1/{Pick(["video", "videos/a/b/c", "models", "files", "", "VIDEOS"])}"),
        };

        FuzzRequest Get(string path) => new("GET", path, Chance(93) ? Bearer(tenantKey) : Pick([null, "Bearer x", Bearer(operatorKey)]), null, null, false);
    }

    private FuzzRequest AdminRoute()
    {
        var tenant = Pick(["fuzz-other-" + _random.Next(20).ToString(CultureInfo.InvariantCulture), "operator", "dev", "", "%20", "a%2Fb", new string('t', 65), "ünï", "..", "tenant%00"]);
        var auth = Chance(85) ? Bearer(operatorKey) : Pick([Bearer(tenantKey), null, "Bearer nope", $"Basic {Convert.ToBase64String(Encoding.UTF8.GetBytes("op:" + operatorKey))}"]);
        return _random.Next(8) switch
        {
            0 or 1 => new FuzzRequest("PUT", $"/admin/tenants/{tenant}", auth, Pick(["application/json", "text/plain", null, "application/json; charset=utf-16"]), Encoding.UTF8.GetBytes(TenantBody()), false),
            2 => new FuzzRequest("GET", $"/admin/tenants/{tenant}", auth, null, null, false),
            3 => new FuzzRequest("POST", $"/admin/tenants/{tenant}/keys", auth, null, null, false),
            4 => new FuzzRequest("DELETE", $"/admin/keys/{Pick([Hex(64), Hex(63), "XYZ", "", Hex(64).ToUpperInvariant()])}", auth, null, null, false),
            5 => new FuzzRequest("GET", $"/admin/tenants/{tenant}/usage", auth, null, null, false),
            6 => new FuzzRequest("GET", Pick(["/admin/queue", "/admin/workers", "/admin", "/admin/", "/admin/tenants"]), auth, null, null, false),
            _ => new FuzzRequest(Pick(["POST", "PATCH", "DELETE"]), $"/admin/tenants/{tenant}", auth, "application/json", Encoding.UTF8.GetBytes("{}"), false),
        };
    }

    private string TenantBody()
    {
        // Never demotes the operator: an operator's self-demotion is refused (409) anyway, and other tenants' changes are harmless.
        return Pick([
            "{}", "null", "[]", "\"x\"", "", "{\"quotas\":{\"max_queued_jobs\":0}}", "{\"quotas\":{\"max_running_jobs\":-1}}", "{\"quotas\":{\"video_seconds_per_day\":0}}",
            "{\"quotas\":{\"requests_per_second\":1e99}}", "{\"quotas\":null}", "{\"quotas\":\"big\"}", "{\"quotas\":{\"unknown\":1}}", "{\"is_operator\":\"yes\"}",
            "{\"is_operator\":false}", "{\"webhook_secret\":\"short\"}", "{\"webhook_secret\":12}", "{\"webhook_secret\":\"whsec_0123456789abcdef\"}", "{\"nope\":1}",
            "{\"quotas\":{\"max_queued_jobs\":5.5}}", "{\"quotas\":{\"request_burst\":\"\\ud800\"}}", "{\"\\ud800\":1}", "{\"quotas\":{\"max_running_jobs\":3}}", "{\"quotas\":",
        ]);
    }

    private FuzzRequest DashboardRoute()
    {
        var job = Pick(["%20", "", "never-submitted", "%00", "..", new string('j', 300), "video_" + Hex(32), bystanderVideoId, "%E2%80%8B", "a%2Fb"]);
        var auth = Chance(85) ? Bearer(operatorKey) : Pick([Bearer(tenantKey), null, "Bearer nope"]);
        return _random.Next(8) switch
        {
            0 => new FuzzRequest("GET", Pick(["/dashboard", "/dashboard/", "/dashboard/assets/dashboard.js", "/dashboard/assets/nope.js", "/dashboard/assets/..%2Fsecrets", "/dashboard/assets/%00"]), null, null, null, false),
            1 => new FuzzRequest("GET", "/dashboard/api/frame", auth, null, null, false),
            2 => new FuzzRequest("GET", "/dashboard/api/stream", auth, null, null, true),
            3 => new FuzzRequest("GET", "/dashboard/api/plan", auth, null, null, false),
            4 => new FuzzRequest("GET", $"/dashboard/api/jobs/{job}/preview", auth, null, null, false),
            5 => new FuzzRequest("POST", $"/dashboard/api/jobs/{job}/cancel", auth, null, null, false),
            6 => new FuzzRequest("POST", $"/dashboard/api/jobs/{job}/priority/{Pick(Priorities)}", auth, null, null, false),
            _ => new FuzzRequest("GET", $"/dashboard/api/{Pick(["", "nope", "jobs", "jobs/x"])}", auth, null, null, false),
        };
    }

    private FuzzRequest HostRoute()
    {
        var path = Pick(["/health", "/alive", "/metrics", "/openapi/v1.json", "/orleans-dashboard", "/orleans-dashboard/", "/orleans-dashboard/DashboardCounters", "/", "/favicon.ico"]);
        var method = Chance(50) ? Pick(["GET", "HEAD"]) : Pick(Methods);
        var auth = Pick<string?>([null, null, Bearer(tenantKey), Bearer(operatorKey), "Basic !!!", $"Basic {Convert.ToBase64String(Encoding.UTF8.GetBytes("x:" + tenantKey))}"]);
        return new FuzzRequest(method, path, auth, Chance(20) ? "application/json" : null, Chance(20) ? RandomBytes(0, 64) : null, false);
    }

    private FuzzRequest Anything() => new(
        Pick(Methods),
        "/" + string.Join("/", Enumerable.Range(0, _random.Next(1, 4)).Select(_ => Pick(["v1", "admin", "dashboard", "api", "%00", "..", "%C0%AE", "x", "ü", "%FF", "a;b", "V1", "videos"]))),
        Pick<string?>([null, Bearer(tenantKey), Bearer(operatorKey)]),
        Pick<string?>([null, "application/json"]),
        Chance(30) ? RandomBytes(0, 100) : null,
        false);

    private string VideoId(bool mayBeOwn) => _random.Next(mayBeOwn ? 10 : 9) switch
    {
        0 => "video_" + Hex(32),
        1 => bystanderVideoId,
        2 => "%20",
        3 => "not-an-id",
        4 => "video_" + Hex(31) + "G",
        5 => new string('x', 400),
        6 => "%E2%80%8B",
        7 => "video_" + Hex(32).ToUpperInvariant(),
        8 => "..%2F..%2Fadmin%2Fqueue",
        _ => "{own}",
    };

    private string Query(string name, string[] values, string? name2 = null, string[]? values2 = null, string? name3 = null, string[]? values3 = null)
    {
        var parts = new List<string>();
        if (Chance(70))
        {
            parts.Add($"{name}={Pick(values)}");
        }

        if (name2 is not null && Chance(40))
        {
            parts.Add($"{name2}={Pick(values2!)}");
        }

        if (name3 is not null && Chance(30))
        {
            parts.Add($"{name3}={Pick(values3!)}");
        }

        return parts.Count == 0 ? "" : "?" + string.Join("&", parts);
    }

    private static string Bearer(string key) => "Bearer " + key;

    private string Hex(int digits) => string.Concat(Enumerable.Range(0, digits).Select(_ => "0123456789abcdef"[_random.Next(16)]));

    private byte[] RandomBytes(int min, int max)
    {
        var bytes = new byte[_random.Next(min, max)];
        _random.NextBytes(bytes);
        return bytes;
    }

    private bool Chance(int percent) => _random.Next(100) < percent;

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];
}
