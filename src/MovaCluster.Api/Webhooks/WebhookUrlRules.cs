namespace MovaCluster.Api.Webhooks;

/// <summary>The form a webhook URL must have, before anyone asks where it points: absolute, https (or http where allowed), no credentials.</summary>
public static class WebhookUrlRules
{
    public const int MaxLength = 2048;

    /// <summary>What is wrong with <paramref name="url"/>, or null when its form is acceptable.</summary>
    public static string? Check(string url, WebhookOptions options)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(options);
        if (url.Length > MaxLength)
        {
            return $"webhook_url is longer than {MaxLength} characters.";
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            return "webhook_url must be an absolute https URL.";
        }

        return Check(uri, options);
    }

    public static string? Check(Uri uri, WebhookOptions options)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(options);
        var httpAllowed = options.AllowHttp && uri.Scheme == Uri.UriSchemeHttp;
        if (uri.Scheme != Uri.UriSchemeHttps && !httpAllowed)
        {
            return options.AllowHttp ? "webhook_url must be an http or https URL." : "webhook_url must be an https URL (this gateway does not send webhooks over plain http).";
        }

        if (uri.UserInfo.Length > 0)
        {
            return "webhook_url must not contain credentials (user:password@); authenticate deliveries by their webhook-signature header.";
        }

        return null;
    }
}
