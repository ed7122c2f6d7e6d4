namespace MovaCluster.Deployment.Tests.Helm;

/// <summary>One environment variable of a rendered container: a literal value, a Secret's key, or a pod field.</summary>
public sealed record EnvVar(string Name, string? Value, string? SecretName, string? SecretKey, string? FieldPath)
{
    public bool FromSecret => SecretName is not null;
}
