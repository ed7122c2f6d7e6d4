namespace MovaCluster.Api.Webhooks;

/// <summary>A delivery's host resolved to no address webhooks may reach.</summary>
public sealed class WebhookAddressRefusedException(string message) : IOException(message);
