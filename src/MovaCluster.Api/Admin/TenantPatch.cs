using System.Text.Json;
using System.Text.Json.Nodes;
using MovaCluster.Api.Errors;
using MovaCluster.Api.Tenancy;

namespace MovaCluster.Api.Admin;

/// <summary>
/// The body of <c>PUT /admin/tenants/{id}</c>, applied as a patch: members that are absent (or null) keep the
/// tenant's value (or the default, for a new tenant), inside <c>quotas</c> too. Members: <c>quotas</c>
/// (<c>max_running_jobs</c>, <c>max_queued_jobs</c>, <c>video_seconds_per_day</c>, <c>requests_per_second</c>,
/// <c>request_burst</c>), <c>webhook_secret</c>, <c>is_operator</c>. Unknown members, wrong types and out-of-range
/// values are refused (400/422), so a typo never silently resets a tenant.
/// </summary>
public static class TenantPatch
{
    public const int MinSecretLength = 16;
    public const int MaxSecretLength = 512;

    public static Tenant Apply(Tenant current, JsonObject patch)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(patch);
        var tenant = current;
        foreach (var (name, value) in patch)
        {
            if (value is null)
            {
                continue;
            }

            tenant = name switch
            {
                "quotas" => tenant with { Quotas = ApplyQuotas(tenant.Quotas, value as JsonObject ?? throw Bad("invalid_type", "quotas must be an object.", name)) },
                "webhook_secret" => tenant with { WebhookSecret = Secret(value) },
                "is_operator" => tenant with { IsOperator = Boolean(value, name) },
                _ => throw Bad("unknown_parameter", $"'{name}' is not a tenant setting (quotas, webhook_secret, is_operator).", name),
            };
        }

        return tenant;
    }

    private static TenantQuotas ApplyQuotas(TenantQuotas quotas, JsonObject patch)
    {
        foreach (var (name, value) in patch)
        {
            if (value is null)
            {
                continue;
            }

            var param = $"quotas.{name}";
            quotas = name switch
            {
                "max_running_jobs" => quotas with { MaxRunningJobs = Integer(value, param, 1, 100_000) },
                "max_queued_jobs" => quotas with { MaxQueuedJobs = Integer(value, param, 0, 10_000_000) },
                "video_seconds_per_day" => quotas with { VideoSecondsPerDay = Number(value, param, 1e-3, 1e12) },
                "requests_per_second" => quotas with { RequestsPerSecond = Integer(value, param, 1, 10_000_000) },
                "request_burst" => quotas with { RequestBurst = Integer(value, param, 1, 10_000_000) },
                _ => throw Bad("unknown_parameter",
                    $"'{name}' is not a quota (max_running_jobs, max_queued_jobs, video_seconds_per_day, requests_per_second, request_burst).", param),
            };
        }

        return quotas;
    }

    private static int Integer(JsonNode value, string param, int min, int max)
    {
        if (value.GetValueKind() != JsonValueKind.Number || !value.AsValue().TryGetValue<long>(out var number))
        {
            throw Bad("invalid_type", $"{param} must be an integer.", param);
        }

        return number >= min && number <= max
            ? (int)number
            : throw Invalid($"{param} must be between {min} and {max} (got {number}).", param);
    }

    private static double Number(JsonNode value, string param, double min, double max)
    {
        if (value.GetValueKind() != JsonValueKind.Number || !value.AsValue().TryGetValue<double>(out var number) || !double.IsFinite(number))
        {
            throw Bad("invalid_type", $"{param} must be a number.", param);
        }

        return number >= min && number <= max ? number : throw Invalid($"{param} must be between {min} and {max} (got {number}).", param);
    }

    private static bool Boolean(JsonNode value, string param) => value.GetValueKind() switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw Bad("invalid_type", $"{param} must be true or false.", param),
    };

    private static string Secret(JsonNode value)
    {
        const string param = "webhook_secret";
        if (value.GetValueKind() != JsonValueKind.String)
        {
            throw Bad("invalid_type", $"{param} must be a string.", param);
        }

        var secret = value.GetValue<string>();
        if (secret.Length is < MinSecretLength or > MaxSecretLength || secret.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            throw Invalid($"{param} must be {MinSecretLength}-{MaxSecretLength} characters without spaces or control characters.", param);
        }

        return secret;
    }

    private static ApiErrorException Bad(string code, string message, string param) => new(ApiError.BadRequest(code, message, param));

    private static ApiErrorException Invalid(string message, string param) => new(ApiError.Unprocessable("invalid_value", message, param));
}
