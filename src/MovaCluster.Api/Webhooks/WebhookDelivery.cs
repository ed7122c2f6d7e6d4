namespace MovaCluster.Api.Webhooks;

/// <summary>
/// One event to deliver: its id (the <c>webhook-id</c> header, stable across retries and gateways, for receivers to
/// drop duplicates), where, signed with what, and how many attempts have failed so far.
/// </summary>
public sealed record WebhookDelivery(string WebhookId, Uri Url, string Secret, byte[] Body, int Attempt = 0);
