namespace MovaCluster.Storage;

/// <summary>Connection to an S3 API.</summary>
public sealed class S3StoreOptions
{
    /// <summary><c>host:port</c> of the S3 API as the cluster reaches it. Required.</summary>
    public string Endpoint { get; set; } = "";

    /// <summary>
    /// <c>host:port</c> that customers' download links should point at, when it differs from <see cref="Endpoint"/>
    /// (links are signed for the host they name). Empty (the default) uses <see cref="Endpoint"/>.
    /// </summary>
    public string PublicEndpoint { get; set; } = "";

    /// <summary>Access key. Required.</summary>
    public string AccessKey { get; set; } = "";

    /// <summary>Secret key. Required.</summary>
    public string SecretKey { get; set; } = "";

    /// <summary>Signing region. Default <c>us-east-1</c>.</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>Use HTTPS. Default false (in-cluster MinIO).</summary>
    public bool UseSsl { get; set; }

    /// <summary>Bucket holding all tenants' clips; created when missing. Default <c>mova-clips</c>.</summary>
    public string Bucket { get; set; } = "mova-clips";
}
