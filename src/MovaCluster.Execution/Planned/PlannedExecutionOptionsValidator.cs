using Microsoft.Extensions.Options;
using MovaCluster.Execution.DeviceThreads;
using MovaCluster.Planning;

namespace MovaCluster.Execution.Planned;

/// <summary>Checks the plan and the device groups against the worker devices, reporting every problem at once.</summary>
internal sealed class PlannedExecutionOptionsValidator(IOptions<ExecutionOptions> execution) : IValidateOptions<PlannedExecutionOptions>
{
    public ValidateOptionsResult Validate(string? name, PlannedExecutionOptions options)
    {
        var section = PlannedExecutionOptions.SectionName;
        var failures = new List<string>();
        ExecutionPlan? plan = null;
        try
        {
            plan = ExecutionPlan.Parse(options.Plan);
        }
        catch (Exception invalid) when (invalid is FormatException or ArgumentException)
        {
            failures.Add($"{section}:Plan: {invalid.Message}");
        }

        var workers = execution.Value.EffectiveDevices;
        var groups = options.Parsed();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var g = 0; g < groups.Count; g++)
        {
            var group = groups[g];
            if (group.Count == 0)
            {
                failures.Add($"{section}:DeviceGroups:{g} is empty.");
                continue;
            }

            if (plan is not null && group.Count != plan.GpusPerReplica)
            {
                failures.Add($"{section}:DeviceGroups:{g} lists {group.Count} devices; plan '{plan}' needs {plan.GpusPerReplica}.");
            }

            if (!workers.Contains(group[0]))
            {
                failures.Add($"{section}:DeviceGroups:{g} starts with '{group[0]}', which runs no worker ({string.Join(", ", workers)}).");
            }

            foreach (var device in group)
            {
                try
                {
                    DeviceContext.Parse(device);
                }
                catch (ArgumentException invalid)
                {
                    failures.Add($"{section}:DeviceGroups:{g}: {invalid.Message}");
                }

                if (!seen.TryAdd(device, g))
                {
                    failures.Add($"{section}:DeviceGroups: device '{device}' is in groups {seen[device]} and {g}.");
                }
            }
        }

        if (plan is not null && plan.GpusPerReplica != 1)
        {
            foreach (var worker in workers.Where(w => options.GroupOf(w) is null))
            {
                failures.Add($"{section}:DeviceGroups has no group starting with worker device '{worker}'; plan '{plan}' needs {plan.GpusPerReplica} devices per replica.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
