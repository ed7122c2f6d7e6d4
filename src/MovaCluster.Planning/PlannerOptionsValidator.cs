using Microsoft.Extensions.Options;

namespace MovaCluster.Planning;

public sealed class PlannerOptionsValidator : IValidateOptions<PlannerOptions>
{
    private const string Section = PlannerOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, PlannerOptions options)
    {
        var failures = new List<string>();
        if (options.GpuCount < 1)
        {
            failures.Add($"{Section}:GpuCount must be at least 1; it is {options.GpuCount}.");
        }

        if (options.GpusPerNode < 1)
        {
            failures.Add($"{Section}:GpusPerNode must be at least 1; it is {options.GpusPerNode}.");
        }

        if (options.Resolution is not ("360p" or "720p"))
        {
            failures.Add($"{Section}:Resolution must be 360p or 720p; it is '{options.Resolution}'.");
        }

        if (options.GpuName is null)
        {
            if (options.GpuMemoryGb is not (24 or 48 or 80 or 141))
            {
                failures.Add($"{Section}:GpuMemoryGb must be 24, 48, 80 or 141 (or describe the GPU with GpuName, GpuMemoryGiB, GpuEffectiveTflops, HostLinkGBps, PeerLinkGBps); it is {options.GpuMemoryGb}.");
            }
        }
        else
        {
            foreach (var (value, key) in new[] { (options.GpuMemoryGiB, "GpuMemoryGiB"), (options.GpuEffectiveTflops, "GpuEffectiveTflops"), (options.HostLinkGBps, "HostLinkGBps"), (options.PeerLinkGBps, "PeerLinkGBps") })
            {
                if (value is not > 0)
                {
                    failures.Add($"{Section}:{key} must be a positive number when {Section}:GpuName is set.");
                }
            }
        }

        if (!string.IsNullOrWhiteSpace(options.Plan))
        {
            try
            {
                ExecutionPlan.Parse(options.Plan);
            }
            catch (FormatException error)
            {
                failures.Add($"{Section}:Plan: {error.Message}");
            }
        }

        if (!(options.CacheWorkFraction > 0 && options.CacheWorkFraction <= 1))
        {
            failures.Add($"{Section}:CacheWorkFraction must be in (0, 1] (got {options.CacheWorkFraction}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
