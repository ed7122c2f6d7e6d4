namespace MovaCluster.Execution.Planned;

/// <summary>
/// Runs MOVA on an execution plan (section <see cref="SectionName"/>): each worker device fronts a device group that
/// holds one replica of the plan. The worker's own device runs the text encoder and the codecs; the group's devices
/// run the denoiser as the plan lays it out. Opt-in through <c>AddMovaPlannedExecution</c>.
/// </summary>
public sealed class PlannedExecutionOptions
{
    public const string SectionName = "Mova:Execution:Planned";

    /// <summary>Plan of every replica, by name (<c>replica</c>, <c>pipeline2</c>, <c>experts+cfg</c>, ...). Default <c>replica</c>.</summary>
    public string Plan { get; set; } = "replica";

    /// <summary>
    /// The device groups, one replica each: comma-separated devices in the planner's order (pipelines x stages), e.g.
    /// <c>"cuda:0,cuda:1"</c> for <c>pipeline2</c>. The group's first device is the worker device that fronts it (list it
    /// in <c>Mova:Execution:Devices</c>). A worker device that starts no group runs a <c>replica</c> plan on itself.
    /// (Groups are strings, not a dictionary by device, because configuration keys cannot contain "cuda:0".)
    /// </summary>
    public List<string> DeviceGroups { get; set; } = [];

    /// <summary>The group fronted by <paramref name="workerDevice"/>, or null when it fronts none.</summary>
    public IReadOnlyList<string>? GroupOf(string workerDevice) =>
        Parsed().FirstOrDefault(g => g.Count > 0 && g[0] == workerDevice);

    /// <summary>Every group as a device list.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Parsed() =>
        [.. DeviceGroups.Select(g => (IReadOnlyList<string>)[.. g.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)])];
}
