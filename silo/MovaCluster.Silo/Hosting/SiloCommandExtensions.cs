using MovaCluster.Execution.Mova;

namespace Microsoft.Extensions.Hosting;

/// <summary>Operator commands the silo executable runs instead of serving, with the silo's own configuration.</summary>
public static class SiloCommandExtensions
{
    /// <summary>
    /// Runs <c>calibrate-teacache --plan plan.json [--device cuda:0]</c> (<see cref="TeaCacheCalibrationCommand"/>)
    /// when the arguments name it; false when they name no command and the silo should serve.
    /// </summary>
    public static bool TryRunSiloCommand(this WebApplicationBuilder builder, string[] args, out int exitCode)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(args);
        exitCode = 0;
        if (args is not [TeaCacheCalibrationCommand.Name, .. var rest])
        {
            return false;
        }

        exitCode = TeaCacheCalibrationCommand.Run(rest, builder.Configuration, Console.Out, Console.Error);
        return true;
    }
}
