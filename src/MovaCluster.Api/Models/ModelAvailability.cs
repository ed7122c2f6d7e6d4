using System.Globalization;
using Microsoft.Extensions.Options;
using MovaCluster.Api.Configuration;
using MovaCluster.Api.Errors;
using MovaCluster.Contracts.Workers;

namespace MovaCluster.Api.Models;

/// <summary>
/// Which catalog models the cluster serves right now, from the worker registry. A worker is live while its heartbeats
/// arrive (every <c>Mova:Worker:HeartbeatInterval</c>, 2 s by default; the registry drops it after three missed ones,
/// and at once when its silo leaves the cluster); a worker registers only once its model has loaded. The registry's
/// list is fetched at most once per <see cref="RefreshAfter"/> (one grain call, whatever the create rate).
/// </summary>
public sealed class ModelAvailability(IClusterClient cluster, IOptions<GatewayOptions> options, TimeProvider time)
{
    public static readonly TimeSpan RefreshAfter = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private Task<IReadOnlyList<RegisteredWorker>>? _refresh;
    private (IReadOnlyList<RegisteredWorker> Workers, DateTimeOffset At)? _latest;

    private GatewayOptions Settings => options.Value;

    /// <summary>Every catalog model, in catalog order, with its live workers.</summary>
    public async Task<IReadOnlyList<ServedModel>> ListAsync()
    {
        var workers = await WorkersAsync().ConfigureAwait(false);
        return [.. Settings.Models.Select(pair => Match(pair.Key, pair.Value, workers))];
    }

    /// <summary>
    /// The model for a request that names none: <see cref="GatewayOptions.DefaultModel"/> when set, else the first
    /// catalog model a live worker serves. With nothing served and no default configured: 400 <c>model_not_served</c>.
    /// </summary>
    public async Task<string> DefaultModelAsync()
    {
        if (Settings.DefaultModel.Length > 0)
        {
            return Settings.DefaultModel;
        }

        var models = await ListAsync().ConfigureAwait(false);
        return models.FirstOrDefault(model => model.Served)?.Name
            ?? throw new ApiErrorException(ApiError.BadRequest("model_not_served",
                "No model is served right now: no worker is live (workers register once their model has loaded; GET /health on a silo says how far they are). Retry shortly or name a model.", "model"));
    }

    /// <summary>
    /// Whether a video of <paramref name="model"/> with this size can be run: null when a live worker serves the model
    /// and has room for it; otherwise the time until which it may wait for one (when <see cref="GatewayOptions.WorkerWait"/>
    /// is set), or an API error: 400 <c>model_not_served</c>, or 422 <c>no_worker_fits</c> for a video larger than every
    /// live worker of the model accepts.
    /// </summary>
    public async Task<DateTimeOffset?> AdmitAsync(string model, int width, int height, int frames)
    {
        var profile = Settings.Models[model];
        var served = Match(model, profile, await WorkersAsync().ConfigureAwait(false));
        var volume = (long)width * height * frames;
        if (served.Served && volume <= served.MaxVolume)
        {
            return null;
        }

        if (Settings.WorkerWait > TimeSpan.Zero)
        {
            return time.GetUtcNow() + Settings.WorkerWait;
        }

        if (!served.Served)
        {
            var others = (await ListAsync().ConfigureAwait(false)).Where(candidate => candidate.Served).Select(candidate => candidate.Name).ToList();
            throw new ApiErrorException(ApiError.BadRequest("model_not_served",
                $"Model '{model}' is not served right now: no live worker reports '{profile.WorkerModel}'. "
                + (others.Count > 0 ? $"Served now: {string.Join(", ", others)}." : "No model is served right now.")
                + " GET /v1/models lists what is served.", "model"));
        }

        throw new ApiErrorException(ApiError.Unprocessable("no_worker_fits", string.Create(CultureInfo.InvariantCulture,
            $"{width}x{height} with {frames} frames ({volume:N0} pixels x frames) is more than any live worker serving '{model}' takes (at most {served.MaxVolume:N0}); ask for a smaller size or fewer frames."), "size"));
    }

    /// <summary>Whether a live worker serves <paramref name="model"/> and has room for <paramref name="volume"/>.</summary>
    public async Task<bool> ServesAsync(string model, long volume)
    {
        var workers = await WorkersAsync().ConfigureAwait(false);
        return Settings.Models.TryGetValue(model, out var profile) && Match(model, profile, workers).MaxVolume >= volume && volume > 0;
    }

    /// <summary>
    /// Whether a live worker serves <paramref name="model"/> and has room for <paramref name="volume"/>, from the list
    /// already fetched (a status read never waits for the registry); null before the first fetch.
    /// </summary>
    public bool? ServesNow(string model, long volume)
    {
        if (_latest is not { } latest)
        {
            _ = WorkersAsync();
            return null;
        }

        if (time.GetUtcNow() - latest.At >= RefreshAfter)
        {
            _ = WorkersAsync();
        }

        return Settings.Models.TryGetValue(model, out var profile)
            ? latest.Workers.Any(worker => WorkerModelNames.Serves(worker.Worker.ModelName, profile.WorkerModel) && worker.Worker.MaxVolume >= volume)
            : null;
    }

    private static ServedModel Match(string name, ModelProfile profile, IReadOnlyList<RegisteredWorker> workers) =>
        new(name, profile, [.. workers.Where(worker => WorkerModelNames.Serves(worker.Worker.ModelName, profile.WorkerModel))]);

    private async Task<IReadOnlyList<RegisteredWorker>> WorkersAsync()
    {
        if (_latest is { } latest && time.GetUtcNow() - latest.At < RefreshAfter)
        {
            return latest.Workers;
        }

        Task<IReadOnlyList<RegisteredWorker>> refresh;
        lock (_gate)
        {
            if (_refresh is null || _refresh.IsCompleted)
            {
                _refresh = RefreshAsync();
            }

            refresh = _refresh;
        }

        return await refresh.ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<RegisteredWorker>> RefreshAsync()
    {
        var workers = await cluster.GetGrain<IWorkerRegistryGrain>(IWorkerRegistryGrain.DefaultKey).ListAsync().ConfigureAwait(false);
        _latest = (workers, time.GetUtcNow());
        return workers;
    }
}
