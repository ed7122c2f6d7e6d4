namespace MovaCluster.ServiceDefaults;

/// <summary>Names of MovaCluster's own meter and activity source, shared by every project that emits telemetry.</summary>
public static class MovaTelemetry
{
    public const string MeterName = "MovaCluster";

    public const string ActivitySourceName = "MovaCluster";
}
