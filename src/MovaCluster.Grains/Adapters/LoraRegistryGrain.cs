using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MovaCluster.Contracts;
using MovaCluster.Contracts.Loras;
using MovaCluster.Contracts.Queue;
using MovaCluster.Storage.Objects;

namespace MovaCluster.Grains.Adapters;

/// <summary>
/// One scope's adapters by name (see <see cref="ILoraRegistryGrain"/>). Content a name no longer points at is kept
/// for <see cref="LoraRegistryOptions.DeletedContentRetention"/> (a create that resolved the name just before may
/// still be on its way to the queue), then deleted from the object store unless a queued or running job names its
/// digest; the check repeats every <see cref="LoraRegistryOptions.CollectInterval"/> while anything waits.
/// </summary>
internal sealed partial class LoraRegistryGrain(
    [PersistentState("lora-registry", StorageNames.Loras)] IPersistentState<LoraRegistryState> state,
    IObjectStore store,
    IOptions<LoraRegistryOptions> options,
    TimeProvider time,
    ILogger<LoraRegistryGrain> logger) : Grain, ILoraRegistryGrain
{
    private IGrainTimer? _collector;

    private LoraRegistryState Registry => state.State;

    private string Scope => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        ScheduleCollection();
        return Task.CompletedTask;
    }

    public async Task<LoraRegistration> RegisterAsync(string name, string source, LoraContent content, int maxAdapters)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (Registry.Adapters.ContainsKey(name))
        {
            return new LoraRegistration { ErrorCode = "lora_name_taken", Error = $"An adapter named '{name}' is already registered; delete it first or choose another name." };
        }

        if (Registry.Adapters.Count >= maxAdapters)
        {
            return new LoraRegistration { ErrorCode = "lora_quota_exceeded", Error = $"{Registry.Adapters.Count} adapters are registered, the limit; delete some first." };
        }

        var adapter = new LoraAdapterInfo { Name = name, Scope = Scope, Source = source, CreatedAt = time.GetUtcNow(), Content = content };
        Registry.Adapters[name] = adapter;
        Registry.Pending.RemoveAll(pending => pending.Location == content.Location);
        await state.WriteStateAsync();
        LogRegistered(Scope, name, content.Digest);
        return new LoraRegistration { Adapter = adapter };
    }

    public Task<LoraAdapterInfo?> GetAsync(string name) => Task.FromResult(Registry.Adapters.GetValueOrDefault(name));

    public Task<IReadOnlyList<LoraAdapterInfo?>> FindAsync(IReadOnlyList<string> names) =>
        Task.FromResult<IReadOnlyList<LoraAdapterInfo?>>([.. names.Select(name => Registry.Adapters.GetValueOrDefault(name))]);

    public Task<IReadOnlyList<LoraAdapterInfo>> ListAsync() =>
        Task.FromResult<IReadOnlyList<LoraAdapterInfo>>([.. Registry.Adapters.Values.OrderBy(a => a.Name, StringComparer.Ordinal)]);

    public async Task<LoraAdapterInfo?> DeleteAsync(string name)
    {
        if (!Registry.Adapters.Remove(name, out var removed))
        {
            return null;
        }

        if (Registry.Defaults.Entries.Any(entry => entry.Name == name))
        {
            var rest = Registry.Defaults.Entries.Where(entry => entry.Name != name).ToList();
            Registry.Defaults = new LoraDefaultSet { Entries = rest, Active = Registry.Defaults.Active && rest.Count > 0 };
        }

        ForgetIfUnnamed(removed.Content);
        await state.WriteStateAsync();
        LogDeleted(Scope, name, removed.Content.Digest);
        ScheduleCollection();
        return removed;
    }

    public async Task AbandonAsync(LoraContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (ForgetIfUnnamed(content))
        {
            await state.WriteStateAsync();
            ScheduleCollection();
        }
    }

    public Task<LoraDefaultSet> GetDefaultsAsync() => Task.FromResult(Registry.Defaults);

    public async Task<string?> SetDefaultsAsync(LoraDefaultSet defaults)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        if (defaults.Entries.FirstOrDefault(entry => !Registry.Adapters.ContainsKey(entry.Name)) is { } unknown)
        {
            return $"No adapter named '{unknown.Name}' is registered in scope {Scope}.";
        }

        Registry.Defaults = defaults;
        await state.WriteStateAsync();
        return null;
    }

    /// <summary>Queues content for deletion unless a name still points at it; true when something changed.</summary>
    private bool ForgetIfUnnamed(LoraContent content)
    {
        if (Registry.Adapters.Values.Any(adapter => adapter.Content.Location == content.Location)
            || Registry.Pending.Any(pending => pending.Location == content.Location))
        {
            return false;
        }

        Registry.Pending.Add(new PendingLoraContent { Digest = content.Digest, Location = content.Location, Since = time.GetUtcNow() });
        return true;
    }

    private void ScheduleCollection()
    {
        if (Registry.Pending.Count == 0 || _collector is not null)
        {
            return;
        }

        var interval = options.Value.CollectInterval;
        _collector = this.RegisterGrainTimer(CollectAsync, new GrainTimerCreationOptions(interval, interval) { Interleave = false });
    }

    private async Task CollectAsync(CancellationToken cancellationToken)
    {
        var due = time.GetUtcNow() - options.Value.DeletedContentRetention;
        var ready = Registry.Pending.Where(pending => pending.Since <= due).ToList();
        if (ready.Count > 0)
        {
            var jobs = await GrainFactory.GetGrain<IJobQueueGrain>(IJobQueueGrain.DefaultKey).ListJobsAsync();
            var used = jobs.SelectMany(entry => entry.Ticket.LoraDigests).ToHashSet(StringComparer.Ordinal);
            foreach (var pending in ready.Where(pending => !used.Contains(pending.Digest)))
            {
                foreach (var stored in await store.ListAsync(pending.Location, cancellationToken))
                {
                    await store.DeleteAsync(stored.Key, cancellationToken);
                }

                Registry.Pending.Remove(pending);
                LogContentDeleted(Scope, pending.Digest);
            }

            await state.WriteStateAsync(cancellationToken);
        }

        if (Registry.Pending.Count == 0)
        {
            _collector?.Dispose();
            _collector = null;
        }
        else
        {
            // Stay active while content waits, so the timer keeps running.
            DelayDeactivation(options.Value.CollectInterval * 2);
        }
    }

    [LoggerMessage(EventId = 6421, Level = LogLevel.Information, Message = "LoRA scope {Scope}: registered {Name} ({Digest})")]
    private partial void LogRegistered(string scope, string name, string digest);

    [LoggerMessage(EventId = 6422, Level = LogLevel.Information, Message = "LoRA scope {Scope}: deleted {Name} ({Digest})")]
    private partial void LogDeleted(string scope, string name, string digest);

    [LoggerMessage(EventId = 6423, Level = LogLevel.Information, Message = "LoRA scope {Scope}: deleted the stored content {Digest}, which no name or job uses")]
    private partial void LogContentDeleted(string scope, string digest);
}
