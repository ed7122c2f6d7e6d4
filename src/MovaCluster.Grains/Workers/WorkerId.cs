namespace MovaCluster.Grains.Workers;

/// <summary>Worker grain keys: "{silo name}/{device}".</summary>
public static class WorkerId
{
    public static string For(string siloName, string device) => $"{siloName}/{device}";

    public static (string SiloName, string Device) Parse(string workerId)
    {
        var slash = workerId.LastIndexOf('/');
        if (slash <= 0 || slash == workerId.Length - 1)
        {
            throw new ArgumentException($"Worker id '{workerId}' is not of the form '{{silo name}}/{{device}}'.", nameof(workerId));
        }

        return (workerId[..slash], workerId[(slash + 1)..]);
    }
}
