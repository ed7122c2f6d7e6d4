using System.Text.Json;
using MovaCluster.Api.Errors;
using MovaCluster.Api.Json;
using MovaCluster.Api.Tenancy;
using MovaCluster.Contracts.Loras;

namespace MovaCluster.Api.Loras;

/// <summary>
/// SGLang's diffusion-server LoRA routes, for operators used to them. SGLang holds one merged adapter set for the
/// whole server; here <c>set_lora</c> sets the shared default set that creates without a <c>lora</c> field run with
/// (registering a nickname from <c>lora_path</c> in the shared scope first when it is new), <c>unmerge_lora_weights</c>
/// switches that set off and <c>merge_lora_weights</c> on again, and <c>list_loras</c> lists the shared adapters and
/// the active set per MOVA component. Only <c>target: "all"</c> is accepted: a MOVA adapter's keys name its components.
/// </summary>
public static class SglangLoraEndpoints
{
    public static RouteGroupBuilder MapSglangLoraEndpoints(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapPost("/set_lora", SetLoraAsync).WithTags("SGLang LoRA");
        api.MapPost("/merge_lora_weights", MergeAsync).WithTags("SGLang LoRA");
        api.MapPost("/unmerge_lora_weights", UnmergeAsync).WithTags("SGLang LoRA");
        api.MapGet("/list_loras", ListAsync).WithTags("SGLang LoRA");
        return api;
    }

    private static async Task<IResult> SetLoraAsync(HttpContext context, LoraService service)
    {
        var tenant = RequireOperator(context);
        using var body = await ReadBodyAsync(context);
        var root = body.RootElement;
        var nicknames = Strings(root, "lora_nickname", required: true)!;
        var paths = Strings(root, "lora_path", required: false);
        var strengths = Numbers(root, "strength");
        CheckTarget(root);
        if (nicknames.Count == 0 || (paths is not null && paths.Count != nicknames.Count) || (strengths.Count > 1 && strengths.Count != nicknames.Count))
        {
            throw new ApiErrorException(ApiError.BadRequest("invalid_value", "lora_nickname, lora_path and strength lists must have the same length.", "lora_nickname"));
        }

        var registry = service.Registry(LoraScopes.Shared);
        for (var i = 0; i < nicknames.Count; i++)
        {
            if (await registry.GetAsync(nicknames[i]) is null)
            {
                var path = paths?[i] ?? throw new ApiErrorException(ApiError.BadRequest("lora_not_found",
                    $"No shared adapter named '{nicknames[i]}': give its lora_path the first time.", "lora_path"));
                var (kind, source) = path.StartsWith("s3://", StringComparison.Ordinal) ? (LoraSourceKind.ObjectKey, path["s3://".Length..]) : (LoraSourceKind.Path, path);
                await service.RegisterReferenceAsync(tenant, LoraScopes.Shared, nicknames[i], null, kind, source);
            }
        }

        var entries = nicknames.Select((name, i) => new LoraDefaultEntry { Name = name, Strength = strengths.Count == 0 ? 1.0 : strengths[strengths.Count == 1 ? 0 : i] }).ToList();
        service.CheckSelections([.. entries.Select(entry => new LoraSelection(entry.Name, entry.Strength))]);
        if (await service.SetDefaultsAsync(new LoraDefaultSet { Entries = entries, Active = true }) is { } problem)
        {
            throw new ApiErrorException(ApiError.BadRequest("lora_not_found", problem, "lora_nickname"));
        }

        return Ok($"Set LoRA adapter(s) {string.Join(", ", nicknames)} for videos created without a lora field.");
    }

    private static async Task<IResult> MergeAsync(HttpContext context, LoraService service)
    {
        RequireOperator(context);
        using var body = await ReadBodyAsync(context, allowEmpty: true);
        CheckTarget(body.RootElement);
        var strengths = Numbers(body.RootElement, "strength");
        var registry = service.Registry(LoraScopes.Shared);
        var defaults = await registry.GetDefaultsAsync();
        if (defaults.Entries.Count == 0)
        {
            throw new ApiErrorException(ApiError.BadRequest("no_lora_set", "No LoRA adapter is set; call set_lora first.", "lora_nickname"));
        }

        var entries = strengths.Count == 1 ? [.. defaults.Entries.Select(entry => entry with { Strength = strengths[0] })] : defaults.Entries;
        service.CheckSelections([.. entries.Select(entry => new LoraSelection(entry.Name, entry.Strength))]);
        await service.SetDefaultsAsync(new LoraDefaultSet { Entries = entries, Active = true });
        return Ok("LoRA adapter(s) applied again to videos created without a lora field.");
    }

    private static async Task<IResult> UnmergeAsync(HttpContext context, LoraService service)
    {
        RequireOperator(context);
        var registry = service.Registry(LoraScopes.Shared);
        var defaults = await registry.GetDefaultsAsync();
        await service.SetDefaultsAsync(defaults with { Active = false });
        return Ok("Videos created without a lora field run the base model.");
    }

    private static async Task<IResult> ListAsync(HttpContext context, LoraService service)
    {
        RequireOperator(context);
        var registry = service.Registry(LoraScopes.Shared);
        var adapters = await registry.ListAsync();
        var defaults = await registry.GetDefaultsAsync();
        var active = new SortedDictionary<string, List<object>>(StringComparer.Ordinal);
        foreach (var entry in defaults.Active ? defaults.Entries : [])
        {
            if (adapters.FirstOrDefault(adapter => adapter.Name == entry.Name) is not { } adapter)
            {
                continue;
            }

            foreach (var component in adapter.Content.Components)
            {
                if (!active.TryGetValue(component, out var list))
                {
                    active[component] = list = [];
                }

                list.Add(new { nickname = adapter.Name, path = adapter.Source, merged = true, strength = entry.Strength });
            }
        }

        return Results.Json(new
        {
            loaded_adapters = adapters.Select(adapter => new { nickname = adapter.Name, path = adapter.Source, digest = adapter.Content.Digest }),
            active,
        }, GatewayJson.Options);
    }

    private static Tenant RequireOperator(HttpContext context)
    {
        var tenant = TenantContext.Get(context);
        return tenant.IsOperator
            ? tenant
            : throw new ApiErrorException(ApiError.Forbidden("The SGLang LoRA routes set the cluster-wide default adapters: they need an operator key. Tenants use /v1/loras and the lora field of a create."));
    }

    private static async Task<JsonDocument> ReadBodyAsync(HttpContext context, bool allowEmpty = false)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        if (buffer.Length == 0 && allowEmpty)
        {
            return JsonDocument.Parse("{}");
        }

        try
        {
            var document = JsonDocument.Parse(buffer.ToArray());
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw new ApiErrorException(ApiError.BadRequest("invalid_json", "The body must be a JSON object."));
            }

            return document;
        }
        catch (JsonException failure)
        {
            throw new ApiErrorException(ApiError.BadRequest("invalid_json", $"The body is not valid JSON: {failure.Message}"));
        }
    }

    /// <summary>A string or a list of strings (SGLang takes either).</summary>
    private static List<string>? Strings(JsonElement body, string name, bool required)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return required ? throw new ApiErrorException(ApiError.BadRequest("missing_parameter", $"{name} is required.", name)) : null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => [value.GetString()!],
            JsonValueKind.Array when value.EnumerateArray().All(item => item.ValueKind == JsonValueKind.String) => [.. value.EnumerateArray().Select(item => item.GetString()!)],
            _ => throw new ApiErrorException(ApiError.BadRequest("invalid_type", $"{name} must be a string or a list of strings.", name)),
        };
    }

    private static List<double> Numbers(JsonElement body, string name)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number => [value.GetDouble()],
            JsonValueKind.Array when value.EnumerateArray().All(item => item.ValueKind == JsonValueKind.Number) => [.. value.EnumerateArray().Select(item => item.GetDouble())],
            _ => throw new ApiErrorException(ApiError.BadRequest("invalid_type", $"{name} must be a number or a list of numbers.", name)),
        };
    }

    private static void CheckTarget(JsonElement body)
    {
        if (!body.TryGetProperty("target", out var target) || target.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        var all = target.ValueKind == JsonValueKind.String ? target.GetString() == "all"
            : target.ValueKind == JsonValueKind.Array && target.EnumerateArray().All(item => item.ValueKind == JsonValueKind.String && item.GetString() == "all");
        if (!all)
        {
            throw new ApiErrorException(ApiError.BadRequest("unsupported_parameter",
                "Only target 'all' is supported: a MOVA adapter applies to the components its keys name (video_dit, video_dit_2, audio_dit, dual_tower_bridge).", "target"));
        }
    }

    private static IResult Ok(string message) => Results.Json(new { status = "ok", message }, GatewayJson.Options);
}
