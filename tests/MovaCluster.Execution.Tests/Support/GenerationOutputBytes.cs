
namespace MovaCluster.Execution.Tests.Support;

/// <summary>A generation's frames joined, for comparing whole videos.</summary>
internal static class GenerationOutputBytes
{
    public static byte[] VideoBytes(this GenerationOutput output) => [.. output.VideoFrames.SelectMany(frame => frame.ToArray())];
}
