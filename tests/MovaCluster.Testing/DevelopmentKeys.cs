namespace MovaCluster.Testing;

/// <summary>The API keys a host seeds for development (<c>Mova:Gateway:Development</c>): a tenant's and an operator's.</summary>
public static class DevelopmentKeys
{
    public const string Tenant = "mova-dev-key";

    public const string Operator = "mova-dev-operator-key";
}
