using MovaCluster.Testing;

namespace MovaCluster.Storage.Tests;

/// <summary>One real S3 server (Swift + s3api) shared by the S3 store tests; each test uses its own bucket.</summary>
[CollectionDefinition(Name)]
public sealed class S3Collection : ICollectionFixture<S3Fixture>
{
    public const string Name = "S3 server";
}
