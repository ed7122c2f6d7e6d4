using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using MovaCluster.Api.Errors;
using MovaCluster.Api.Tenancy;
using MovaCluster.Contracts.Loras;
using MovaCluster.Storage.Objects;

namespace MovaCluster.Api.Loras;

/// <summary>
/// The adapter operations in one tenant's view: its own scope plus the operator's shared one. Registration streams an
/// upload into the object store (or names an object key or a silo path), has a silo read and validate it against the
/// served model before the name is taken, and leaves nothing behind when it fails. Creates resolve names to digests
/// here, so a job runs exactly the bytes its name pointed at when it was created.
/// </summary>
public sealed partial class LoraService(IClusterClient cluster, IObjectStore store, IOptions<LoraApiOptions> options, TimeProvider time, ILogger<LoraService> logger)
{
    /// <summary>
    /// How long a gateway reuses the shared default set: every create without a <c>lora</c> field needs it, and one
    /// registry grain must not see every create. A change made through this gateway applies at once.
    /// </summary>
    private static readonly TimeSpan DefaultsReuse = TimeSpan.FromSeconds(1);

    private (LoraDefaultSet Set, DateTimeOffset Until)? _defaults;

    public const string SharedScope = "shared";
    public const string TenantScope = "tenant";

    private LoraApiOptions Settings => options.Value;

    /// <summary>The scope a call acts on: the tenant's own unless an operator names the shared one.</summary>
    public static string ScopeFor(Tenant tenant, string? scope)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        return scope switch
        {
            null or "" or TenantScope => LoraScopes.Tenant(tenant.Id),
            SharedScope when tenant.IsOperator => LoraScopes.Shared,
            SharedScope => throw new ApiErrorException(ApiError.Forbidden("Only an operator key may change or read the shared scope this way.")),
            _ => throw new ApiErrorException(ApiError.BadRequest("invalid_value", "scope must be 'tenant' or 'shared'.", "scope")),
        };
    }

    /// <summary>Registers uploaded files (lora_weights.pt with lora_config.pt, or one .safetensors file) under a new name.</summary>
    public async Task<LoraObject> RegisterUploadAsync(string scope, string name, double? alpha, IReadOnlyList<LoraUploadFile> files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        CheckName(name);
        CheckAlpha(alpha);
        await CheckFreeAsync(scope, name);
        if (files.Count == 0)
        {
            throw new ApiErrorException(ApiError.BadRequest("missing_file", "Send the adapter's files: lora_weights.pt (with lora_config.pt) or one .safetensors file.", "file"));
        }

        var total = files.Sum(file => file.Length);
        if (total > Settings.MaxAdapterBytes)
        {
            throw new ApiErrorException(ApiError.TooLarge("adapter_too_large", $"The adapter's files are {total} bytes, more than the limit of {Settings.MaxAdapterBytes}.", "file"));
        }

        var prefix = LoraObjectKeys.Upload(scope, Guid.NewGuid().ToString("N"));
        try
        {
            foreach (var file in files)
            {
                await using var content = file.Open();
                await store.PutAsync(prefix + file.StoredName, content, cancellationToken);
            }

            return await InspectAndRegisterAsync(scope, name, "upload", new LoraInspectionRequest
            {
                Scope = scope, SourceKind = LoraSourceKind.Upload, Source = prefix, AlphaOverride = alpha, MaxBytes = Settings.MaxAdapterBytes,
            });
        }
        finally
        {
            await DeleteUploadAsync(prefix);
        }
    }

    /// <summary>Registers an adapter from an object key of the clip store's bucket or a path on the silos (operators only).</summary>
    public async Task<LoraObject> RegisterReferenceAsync(Tenant tenant, string scope, string name, double? alpha, LoraSourceKind kind, string source)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        CheckName(name);
        CheckAlpha(alpha);
        if (kind == LoraSourceKind.Path && !tenant.IsOperator)
        {
            throw new ApiErrorException(ApiError.Forbidden("Only an operator key may import an adapter from a path on the silos; upload the files instead."));
        }

        if (kind == LoraSourceKind.ObjectKey && !ObjectKey.IsValid(source.TrimEnd('/')))
        {
            throw new ApiErrorException(ApiError.BadRequest("invalid_value", $"'{source}' is not an object key.", "s3_key"));
        }

        await CheckFreeAsync(scope, name);
        var label = kind == LoraSourceKind.Path ? $"path:{source}" : $"s3:{source}";
        return await InspectAndRegisterAsync(scope, name, label, new LoraInspectionRequest
        {
            Scope = scope, SourceKind = kind, Source = source, AlphaOverride = alpha, MaxBytes = Settings.MaxAdapterBytes,
        });
    }

    /// <summary>The tenant's adapters by name, then the shared ones.</summary>
    public async Task<LoraList> ListAsync(Tenant tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var own = await Registry(LoraScopes.Tenant(tenant.Id)).ListAsync();
        var shared = await Registry(LoraScopes.Shared).ListAsync();
        return new LoraList([.. own.Concat(shared).Select(LoraObjectMapper.Map)]);
    }

    /// <summary>One adapter by name: the tenant's own first, else a shared one (or only <paramref name="scope"/>'s when given).</summary>
    public async Task<LoraObject> GetAsync(Tenant tenant, string name, string? scope)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var scopes = string.IsNullOrEmpty(scope) ? [LoraScopes.Tenant(tenant.Id), LoraScopes.Shared] : new[] { ScopeForRead(tenant, scope) };
        foreach (var candidate in scopes)
        {
            if (await Registry(candidate).GetAsync(name) is { } adapter)
            {
                return LoraObjectMapper.Map(adapter);
            }
        }

        throw NotFound(name);
    }

    /// <summary>Deletes a name of the scope; jobs created before keep the adapter they resolved.</summary>
    public async Task<LoraDeleted> DeleteAsync(string scope, string name)
    {
        var removed = await Registry(scope).DeleteAsync(name) ?? throw NotFound(name);
        _defaults = LoraScopes.IsShared(scope) ? null : _defaults;
        LogDeleted(scope, name, removed.Content.Digest);
        return new LoraDeleted(name);
    }

    /// <summary>
    /// The adapters a create runs with: the named ones (the tenant's own before shared ones of the same name) with
    /// their digests, or, when the request has no <c>lora</c> field, the shared default set while it is active.
    /// </summary>
    public async Task<IReadOnlyList<JobLora>> ResolveAsync(Tenant tenant, IReadOnlyList<LoraSelection>? selections)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        if (selections is not null)
        {
            return await ResolveNamedAsync(tenant, selections);
        }

        try
        {
            return await ResolveNamedAsync(tenant, null);
        }
        catch (ApiErrorException)
        {
            // The reused default set may name an adapter another gateway just deleted: ask the registry once more.
            _defaults = null;
            return await ResolveNamedAsync(tenant, null);
        }
    }

    private async Task<IReadOnlyList<JobLora>> ResolveNamedAsync(Tenant tenant, IReadOnlyList<LoraSelection>? selections)
    {
        // The default set names shared adapters: a tenant's own adapter of the same name does not replace one.
        var sharedOnly = selections is null;
        if (selections is null)
        {
            var defaults = await DefaultsAsync();
            if (!defaults.Active || defaults.Entries.Count == 0)
            {
                return [];
            }

            selections = [.. defaults.Entries.Select(entry => new LoraSelection(entry.Name, entry.Strength))];
        }

        CheckSelections(selections);
        if (selections.Count == 0)
        {
            return [];
        }

        var names = selections.Select(selection => selection.Name).ToList();
        var own = sharedOnly ? new LoraAdapterInfo?[names.Count] : await Registry(LoraScopes.Tenant(tenant.Id)).FindAsync(names);
        var shared = own.Any(adapter => adapter is null) ? await Registry(LoraScopes.Shared).FindAsync(names) : own;
        var resolved = new List<JobLora>(selections.Count);
        for (var i = 0; i < selections.Count; i++)
        {
            var adapter = own[i] ?? shared[i]
                ?? throw new ApiErrorException(ApiError.BadRequest("lora_not_found", $"lora[{i}]: no adapter named '{selections[i].Name}' is registered for this tenant or shared.", "lora"));
            resolved.Add(new JobLora
            {
                Name = adapter.Name,
                Digest = adapter.Content.Digest,
                Strength = selections[i].Strength,
                Location = adapter.Content.Location,
                AlphaOverride = adapter.Content.AlphaOverride,
            });
        }

        return resolved;
    }

    /// <summary>Checks a request's adapter list: count, names, strengths, no adapter twice.</summary>
    public void CheckSelections(IReadOnlyList<LoraSelection> selections)
    {
        ArgumentNullException.ThrowIfNull(selections);
        if (selections.Count > Settings.MaxPerRequest)
        {
            throw new ApiErrorException(ApiError.BadRequest("too_many_loras", $"A video may apply at most {Settings.MaxPerRequest} LoRA adapters (got {selections.Count}).", "lora"));
        }

        for (var i = 0; i < selections.Count; i++)
        {
            var selection = selections[i];
            if (!NamePattern().IsMatch(selection.Name))
            {
                throw new ApiErrorException(ApiError.BadRequest("invalid_value", $"lora[{i}].name '{selection.Name}' is not an adapter name.", "lora"));
            }

            if (!double.IsFinite(selection.Strength) || Math.Abs(selection.Strength) > Settings.MaxStrength)
            {
                throw new ApiErrorException(ApiError.BadRequest("invalid_value", $"lora[{i}].strength must be a number between -{Settings.MaxStrength} and {Settings.MaxStrength}.", "lora"));
            }

            if (selections.Take(i).Any(earlier => earlier.Name == selection.Name))
            {
                throw new ApiErrorException(ApiError.BadRequest("invalid_value", $"lora[{i}]: '{selection.Name}' is named twice; give it one entry with the strength you want.", "lora"));
            }
        }
    }

    internal ILoraRegistryGrain Registry(string scope) => cluster.GetGrain<ILoraRegistryGrain>(scope);

    /// <summary>Replaces the shared default set (SGLang's set_lora and friends); null, or why not.</summary>
    internal async Task<string?> SetDefaultsAsync(LoraDefaultSet defaults)
    {
        _defaults = null;
        return await Registry(LoraScopes.Shared).SetDefaultsAsync(defaults);
    }

    private async Task<LoraDefaultSet> DefaultsAsync()
    {
        var now = time.GetUtcNow();
        if (_defaults is { } cached && cached.Until > now)
        {
            return cached.Set;
        }

        var set = await Registry(LoraScopes.Shared).GetDefaultsAsync();
        _defaults = (set, now + DefaultsReuse);
        return set;
    }

    private static string ScopeForRead(Tenant tenant, string scope) => scope == SharedScope ? LoraScopes.Shared : ScopeFor(tenant, scope);

    private async Task<LoraObject> InspectAndRegisterAsync(string scope, string name, string source, LoraInspectionRequest request)
    {
        var inspection = await cluster.GetGrain<ILoraInspectorGrain>(0).InspectAsync(request);
        if (inspection.Content is not { } content)
        {
            throw new ApiErrorException(Refusal(inspection));
        }

        var limit = LoraScopes.IsShared(scope) ? Settings.MaxSharedAdapters : Settings.MaxAdaptersPerTenant;
        var registration = await Registry(scope).RegisterAsync(name, source, content, limit);
        if (registration.Adapter is not { } adapter)
        {
            await Registry(scope).AbandonAsync(content);
            throw new ApiErrorException(registration.ErrorCode == "lora_name_taken"
                ? ApiError.Conflict("lora_name_taken", registration.Error ?? $"'{name}' is taken.", "name")
                : ApiError.Unprocessable(registration.ErrorCode ?? "lora_rejected", registration.Error ?? "The registry refused the adapter.", "name"));
        }

        LogRegistered(scope, name, content.Digest, content.LayerCount, content.Rank);
        return LoraObjectMapper.Map(adapter);
    }

    private static ApiError Refusal(LoraInspection inspection)
    {
        var message = inspection.ErrorKey is { } key && !(inspection.Error ?? "").Contains(key, StringComparison.Ordinal)
            ? $"{inspection.Error} (key '{key}')"
            : inspection.Error ?? "The adapter was refused.";
        return inspection.ErrorCode switch
        {
            "adapter_too_large" => ApiError.TooLarge("adapter_too_large", message, "file"),
            "reference_not_allowed" => ApiError.BadRequest("reference_not_allowed", message, "source"),
            "reference_not_found" => ApiError.NotFound("reference_not_found", message, "source"),
            _ => ApiError.Unprocessable(inspection.ErrorCode ?? "invalid_adapter", message, "file"),
        };
    }

    private async Task CheckFreeAsync(string scope, string name)
    {
        if (await Registry(scope).GetAsync(name) is not null)
        {
            throw new ApiErrorException(ApiError.Conflict("lora_name_taken", $"An adapter named '{name}' is already registered; delete it first or choose another name.", "name"));
        }
    }

    private async Task DeleteUploadAsync(string prefix)
    {
        foreach (var uploaded in await store.ListAsync(prefix, CancellationToken.None))
        {
            await store.DeleteAsync(uploaded.Key, CancellationToken.None);
        }
    }

    private static void CheckName(string? name)
    {
        if (name is null || !NamePattern().IsMatch(name))
        {
            throw new ApiErrorException(ApiError.BadRequest("invalid_value", "name must be 1-64 characters from a-z, A-Z, 0-9, '.', '-' and '_', starting with a letter or digit.", "name"));
        }
    }

    private static void CheckAlpha(double? alpha)
    {
        if (alpha is { } value && (!double.IsFinite(value) || value <= 0))
        {
            throw new ApiErrorException(ApiError.BadRequest("invalid_value", "alpha must be a positive number.", "alpha"));
        }
    }

    private static ApiErrorException NotFound(string name) =>
        new(ApiError.NotFound("lora_not_found", $"No adapter named '{name}'.", "name"));

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex NamePattern();

    [LoggerMessage(EventId = 6451, Level = LogLevel.Information, Message = "Registered LoRA adapter {Name} in {Scope} ({Digest}, {Layers} layers, rank {Rank})")]
    private partial void LogRegistered(string scope, string name, string digest, int layers, int rank);

    [LoggerMessage(EventId = 6452, Level = LogLevel.Information, Message = "Deleted LoRA adapter {Name} from {Scope} ({Digest})")]
    private partial void LogDeleted(string scope, string name, string digest);
}
