namespace MovaCluster.Api.Admin;

/// <summary>A newly issued key; the plain value is shown here once and stored only as its hash.</summary>
public sealed record IssuedApiKey(string TenantId, string ApiKey, string KeyHash);
