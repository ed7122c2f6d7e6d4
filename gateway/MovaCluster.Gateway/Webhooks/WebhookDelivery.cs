namespace MovaCluster.Gateway.Webhooks;

/// <summary>One event to deliver: where, signed with what, and how many tries so far.</summary>
public sealed record WebhookDelivery(string WebhookId, Uri Url, string Secret, byte[] Body, int Attempt = 0);
