using MovaCluster.Api.Videos;

namespace MovaCluster.Api.Webhooks;

/// <summary>A video whose terminal event must become a webhook: its owner, the owner's signing secret and the video.</summary>
public sealed record WebhookWatch(string TenantId, string WebhookSecret, VideoRecord Record);
