using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MovaCluster.ServiceDefaults.Cluster;

public static class ClusterHostingOptionsExtensions
{
    /// <summary>
    /// Registers <see cref="ClusterHostingOptions"/> with start-time validation and returns them validated now,
    /// because Orleans is configured before the service container exists.
    /// </summary>
    public static ClusterHostingOptions AddClusterHostingOptions(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ClusterHostingOptions>().BindConfiguration(ClusterHostingOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ClusterHostingOptions>, ClusterHostingOptionsValidator>();

        var options = builder.Configuration.GetSection(ClusterHostingOptions.SectionName).Get<ClusterHostingOptions>() ?? new ClusterHostingOptions();
        var validation = new ClusterHostingOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(ClusterHostingOptions.SectionName, typeof(ClusterHostingOptions), validation.Failures);
        }

        return options;
    }
}
