using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MovaCluster.Media.Decoding;
using MovaCluster.Media.Muxing;
using MovaCluster.Media.Previews;
using MovaCluster.Media.Variants;

namespace MovaCluster.Media;

/// <summary>Registers the media services.</summary>
public static class MediaServiceCollectionExtensions
{
    /// <summary>
    /// Adds the muxer, decoder, variants and preview renderer, with <see cref="MediaOptions"/> bound from
    /// <c>Mova:Media</c> and validated at start.
    /// </summary>
    public static IServiceCollection AddMovaMedia(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<MediaOptions>()
            .Bind(configuration.GetSection(MediaOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MediaOptions>, MediaOptionsValidator>());
        services.TryAddSingleton<FfmpegBinaries>();
        services.TryAddSingleton<FfmpegToolchain>();
        services.TryAddSingleton<IClipMuxer, ClipMuxer>();
        services.TryAddSingleton<ClipDecoder>();
        services.TryAddSingleton<ClipVariants>();
        services.TryAddSingleton<LatentPreviewRenderer>();
        return services;
    }
}
