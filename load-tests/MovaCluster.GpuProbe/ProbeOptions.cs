using System.Globalization;

namespace MovaCluster.GpuProbe;

/// <summary>The probe's command line (README.md beside this file lists it).</summary>
internal sealed record ProbeOptions
{
    public static readonly string[] AllSections = ["goldens", "bench", "mova-step", "executor"];

    public string Device { get; init; } = "cpu";

    /// <summary>Tiny shapes (CI, cpu) or the real ones (bench config, MOVA-360p).</summary>
    public ProbeSize Size { get; init; } = ProbeSize.Tiny;

    public IReadOnlyList<string> Sections { get; init; } = AllSections;

    public string OutputPath { get; init; } = "probe-results.json";

    /// <summary>Untimed steps before the timed ones.</summary>
    public int WarmupSteps { get; init; } = 1;

    /// <summary>Timed steps of the bench config (median reported).</summary>
    public int BenchSteps { get; init; } = 5;

    /// <summary>Timed steps of the MOVA-360p-shaped step.</summary>
    public int MovaSteps { get; init; } = 2;

    /// <summary>Soft time budget of one section: timing stops early once it is spent (the kit adds a hard timeout).</summary>
    public double BudgetSeconds { get; init; } = 120;

    public static ProbeOptions Parse(IReadOnlyList<string> args)
    {
        var options = new ProbeOptions();
        var sizeGiven = false;
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int Count() => int.Parse(Value(), CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--device":
                    options = options with { Device = Value() };
                    break;
                case "--size":
                    options = options with { Size = Enum.Parse<ProbeSize>(Value(), ignoreCase: true) };
                    sizeGiven = true;
                    break;
                case "--sections":
                    var sections = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    var unknown = sections.Where(s => !AllSections.Contains(s)).ToList();
                    options = unknown.Count == 0 ? options with { Sections = sections }
                        : throw new ArgumentException($"Unknown section(s) {string.Join(", ", unknown)}; known: {string.Join(", ", AllSections)}.");
                    break;
                case "--out":
                    options = options with { OutputPath = Value() };
                    break;
                case "--warmup":
                    options = options with { WarmupSteps = Count() };
                    break;
                case "--bench-steps":
                    options = options with { BenchSteps = Count() };
                    break;
                case "--mova-steps":
                    options = options with { MovaSteps = Count() };
                    break;
                case "--budget":
                    options = options with { BudgetSeconds = double.Parse(Value(), CultureInfo.InvariantCulture) };
                    break;
                default:
                    throw new ArgumentException($"Unknown argument '{args[i]}'.");
            }
        }

        // The real shapes only make sense on a GPU; a cpu run defaults to the tiny ones.
        return sizeGiven ? options : options with { Size = options.Device.StartsWith("cuda", StringComparison.Ordinal) ? ProbeSize.Full : ProbeSize.Tiny };
    }
}
