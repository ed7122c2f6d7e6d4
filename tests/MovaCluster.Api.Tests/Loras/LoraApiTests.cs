using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using MovaCluster.Api.Json;
using MovaCluster.Api.Tests.Infrastructure;

namespace MovaCluster.Api.Tests.Loras;

/// <summary>Registering, listing, using and deleting LoRA adapters through the HTTP API of an in-process cluster.</summary>
public sealed class LoraApiTests : IClassFixture<LoraGatewayFactory>
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(4);

    private readonly LoraGatewayFactory _factory;

    public LoraApiTests(LoraGatewayFactory factory) => _factory = factory;

    [Fact]
    public async Task An_uploaded_adapter_is_validated_listed_and_changes_the_video_it_is_applied_to()
    {
        var client = await TenantClients.NewTenantAsync(_factory, "lora-upload");
        var registered = await RegisterAsync(client, LoraFiles.Upload("fox", LoraFiles.ServedSafetensors()));
        Assert.Equal("lora", registered.GetProperty("object").GetString());
        Assert.Equal("tenant", registered.GetProperty("scope").GetString());
        Assert.Equal("safetensors", registered.GetProperty("format").GetString());
        Assert.Equal(4, registered.GetProperty("rank").GetInt32());
        Assert.Equal(16.0, registered.GetProperty("alpha").GetDouble());
        Assert.Equal(["audio_dit", "dual_tower_bridge", "video_dit", "video_dit_2"], registered.GetProperty("components").EnumerateArray().Select(c => c.GetString()!).Order(StringComparer.Ordinal));
        var digest = registered.GetProperty("digest").GetString()!;

        // The same tensors with another alpha are other content.
        using (var form = LoraFiles.Upload("fox-24", LoraFiles.ServedSafetensors()))
        {
            form.Add(new StringContent("24"), "alpha");
            var overridden = await RegisterAsync(client, form);
            Assert.Equal(24.0, overridden.GetProperty("alpha").GetDouble());
            Assert.NotEqual(digest, overridden.GetProperty("digest").GetString());
        }

        using (var taken = await client.PostAsync("/v1/loras", LoraFiles.Upload("fox", LoraFiles.ServedSafetensors())))
        {
            await ErrorAssert.IsAsync(taken, HttpStatusCode.Conflict, "lora_name_taken");
        }

        // The official .pt files of the golden set: accepted when they fit the served model, else refused naming the first layer that does not.
        var peft = LoraFiles.Folder("peft");
        using (var official = await client.PostAsync("/v1/loras", LoraFiles.Upload("official", Path.Combine(peft, "lora_weights.pt"), Path.Combine(peft, "lora_config.pt"))))
        {
            var notServed = LoraFiles.GoldenLayersNotServed();
            var answer = await VideoApi.ReadAsync(official);
            if (notServed.Count == 0)
            {
                Assert.Equal(HttpStatusCode.Created, official.StatusCode);
                Assert.Equal("peft", answer.GetProperty("format").GetString());
            }
            else
            {
                await ErrorAssert.IsAsync(official, HttpStatusCode.UnprocessableEntity, "invalid_adapter");
                Assert.Contains($"'{notServed[0]}'", answer.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
            }
        }

        var listed = await VideoApi.GetAsync(client, "/v1/loras");
        Assert.Contains(listed.GetProperty("data").EnumerateArray(), a => a.GetProperty("name").GetString() == "fox" && a.GetProperty("digest").GetString() == digest);
        var fetched = await VideoApi.GetAsync(client, "/v1/loras/fox");
        Assert.Equal(digest, fetched.GetProperty("digest").GetString());

        var plain = await RunAsync(client, VideoApi.TinyRequest());
        Assert.Equal(0, plain.Video.GetProperty("lora").GetArrayLength());
        var adapted = await RunAsync(client, WithLora(VideoApi.TinyRequest(), new { name = "fox", strength = 0.8 }));
        var reported = Assert.Single(adapted.Video.GetProperty("lora").EnumerateArray());
        Assert.Equal("fox", reported.GetProperty("name").GetString());
        Assert.Equal(0.8, reported.GetProperty("strength").GetDouble());
        Assert.Equal(digest, reported.GetProperty("digest").GetString());
        Assert.NotEqual(plain.Sha256, adapted.Sha256);

        // A second job with the same set in a row runs merged (Mova:Execution:Lora:MergeAfterJobs, default 2): still the adapted
        // model, though merged and unmerged sums round differently, so its bytes need not equal the unmerged run's.
        var again = await RunAsync(client, WithLora(VideoApi.TinyRequest(), new { name = "fox", strength = 0.8 }));
        Assert.NotEqual(plain.Sha256, again.Sha256);
    }

    [Fact]
    public async Task An_adapter_whose_keys_name_no_layer_of_the_served_model_is_refused_at_registration_naming_the_key()
    {
        var client = await TenantClients.NewTenantAsync(_factory, "lora-bad");
        var (bytes, key) = LoraFiles.WithLayerRenamed("video_dit.blocks.97.self_attn.q");
        using var refused = await client.PostAsync("/v1/loras", LoraFiles.Upload("broken", bytes));
        await ErrorAssert.IsAsync(refused, HttpStatusCode.UnprocessableEntity, "invalid_adapter");
        var message = (await VideoApi.ReadAsync(refused)).GetProperty("error").GetProperty("message").GetString();
        Assert.Contains(key[..^".lora_A.weight".Length], message, StringComparison.Ordinal);

        using var missing = await client.GetAsync("/v1/loras/broken");
        await ErrorAssert.IsAsync(missing, HttpStatusCode.NotFound, "lora_not_found");
        Assert.Empty(StoredUnder("uploads"));
    }

    [Fact]
    public async Task Size_limits_apply_at_registration_and_a_bad_lora_field_creates_nothing()
    {
        var client = await TenantClients.NewTenantAsync(_factory, "lora-limits");
        using (var large = await client.PostAsync("/v1/loras", LoraFiles.Upload("big", LoraFiles.Padded((int)LoraGatewayFactory.MaxAdapterBytes))))
        {
            await ErrorAssert.IsAsync(large, HttpStatusCode.RequestEntityTooLarge, "adapter_too_large");
        }

        using (var unknown = await VideoApi.SendCreateAsync(client, WithLora(VideoApi.TinyRequest(), new { name = "nobody" })))
        {
            await ErrorAssert.IsAsync(unknown, HttpStatusCode.BadRequest, "lora_not_found");
        }

        using (var strong = await VideoApi.SendCreateAsync(client, WithLora(VideoApi.TinyRequest(), new { name = "x", strength = 100 })))
        {
            await ErrorAssert.IsAsync(strong, HttpStatusCode.BadRequest, "invalid_value");
        }

        var videos = await VideoApi.GetAsync(client, "/v1/videos");
        Assert.Equal(0, videos.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task Adapters_are_tenant_scoped_shared_ones_serve_everyone_and_deleting_a_name_keeps_earlier_jobs()
    {
        var owner = await TenantClients.NewTenantAsync(_factory, "lora-owner");
        var other = await TenantClients.NewTenantAsync(_factory, "lora-other");
        using var operatorClient = _factory.ClientWithKey(GatewayFactory.OperatorKey);
        await RegisterAsync(owner, LoraFiles.Upload("mine", LoraFiles.ServedSafetensors()));

        using (var hidden = await VideoApi.SendCreateAsync(other, WithLora(VideoApi.TinyRequest(), new { name = "mine" })))
        {
            await ErrorAssert.IsAsync(hidden, HttpStatusCode.BadRequest, "lora_not_found");
        }

        using (var notOperator = await owner.PostAsync("/v1/loras", Scoped(LoraFiles.Upload("house", LoraFiles.ServedSafetensors()), "shared")))
        {
            await ErrorAssert.IsAsync(notOperator, HttpStatusCode.Forbidden, "operator_key_required");
        }

        // The operator imports a shared adapter from an object key under an allowed prefix; other keys are refused.
        var imports = Path.Combine(_factory.ClipDirectory, LoraGatewayFactory.ImportPrefix);
        Directory.CreateDirectory(imports);
        File.WriteAllBytes(Path.Combine(imports, "house.safetensors"), LoraFiles.ServedSafetensors());
        using (var imported = await operatorClient.PostAsJsonAsync("/v1/loras", new { name = "house", s3_key = "imports/house.safetensors", scope = "shared" }, GatewayJson.Options))
        {
            Assert.Equal(HttpStatusCode.Created, imported.StatusCode);
            var shared = await VideoApi.ReadAsync(imported);
            Assert.Equal("shared", shared.GetProperty("scope").GetString());
            Assert.Equal("s3:imports/house.safetensors", shared.GetProperty("source").GetString());
        }

        using (var outside = await operatorClient.PostAsJsonAsync("/v1/loras", new { name = "outside", s3_key = "elsewhere/house.safetensors", scope = "shared" }, GatewayJson.Options))
        {
            await ErrorAssert.IsAsync(outside, HttpStatusCode.BadRequest, "reference_not_allowed");
        }

        Assert.Contains(
            (await VideoApi.GetAsync(other, "/v1/loras")).GetProperty("data").EnumerateArray(),
            adapter => adapter.GetProperty("name").GetString() == "house" && adapter.GetProperty("scope").GetString() == "shared");

        // Two adapters in order; the job keeps them after the name is deleted.
        var video = await VideoApi.CreateAsync(owner, WithLora(VideoApi.TinyRequest(), new { name = "mine", strength = 0.5 }, new { name = "house" }));
        Assert.Equal(["mine", "house"], video.GetProperty("lora").EnumerateArray().Select(l => l.GetProperty("name").GetString()!));
        using (var deleted = await owner.DeleteAsync("/v1/loras/mine"))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
            Assert.True((await VideoApi.ReadAsync(deleted)).GetProperty("deleted").GetBoolean());
        }

        using (var gone = await owner.GetAsync("/v1/loras/mine"))
        {
            await ErrorAssert.IsAsync(gone, HttpStatusCode.NotFound, "lora_not_found");
        }

        var finished = await VideoApi.WaitForStatusAsync(owner, video.GetProperty("id").GetString()!, RunTimeout, "completed", "failed");
        Assert.Equal("completed", finished.GetProperty("status").GetString());

        using (var operatorDelete = await operatorClient.DeleteAsync("/v1/loras/house?scope=shared"))
        {
            Assert.Equal(HttpStatusCode.OK, operatorDelete.StatusCode);
        }
    }

    [Fact]
    public async Task SGLang_set_lora_sets_the_default_adapters_for_creates_without_a_lora_field_until_unmerged()
    {
        var client = await TenantClients.NewTenantAsync(_factory, "lora-sglang");
        using var operatorClient = _factory.ClientWithKey(GatewayFactory.OperatorKey);
        using (var tenantTry = await client.PostAsJsonAsync("/v1/set_lora", new { lora_nickname = "x" }))
        {
            await ErrorAssert.IsAsync(tenantTry, HttpStatusCode.Forbidden, "operator_key_required");
        }

        using (var target = await operatorClient.PostAsJsonAsync("/v1/set_lora", new { lora_nickname = "house-path", lora_path = _factory.ServedAdapterFolder, target = "transformer_2" }))
        {
            await ErrorAssert.IsAsync(target, HttpStatusCode.BadRequest, "unsupported_parameter");
        }

        try
        {
            using (var set = await operatorClient.PostAsJsonAsync("/v1/set_lora", new { lora_nickname = "house-path", lora_path = _factory.ServedAdapterFolder, strength = 0.7 }))
            {
                var answer = await VideoApi.ReadAsync(set);
                Assert.True(set.IsSuccessStatusCode, answer.ToString());
                Assert.Equal("ok", answer.GetProperty("status").GetString());
            }

            var listed = await VideoApi.GetAsync(operatorClient, "/v1/list_loras");
            Assert.Contains(listed.GetProperty("loaded_adapters").EnumerateArray(), a => a.GetProperty("nickname").GetString() == "house-path");
            var active = listed.GetProperty("active").GetProperty("video_dit").EnumerateArray().Single();
            Assert.Equal(0.7, active.GetProperty("strength").GetDouble());

            var defaulted = await VideoApi.CreateAsync(client, VideoApi.TinyRequest());
            Assert.Equal("house-path", defaulted.GetProperty("lora")[0].GetProperty("name").GetString());
            var explicitNone = await VideoApi.CreateAsync(client, WithLora(VideoApi.TinyRequest()));
            Assert.Equal(0, explicitNone.GetProperty("lora").GetArrayLength());

            using (await operatorClient.PostAsync("/v1/unmerge_lora_weights", null))
            {
            }

            Assert.Empty((await VideoApi.GetAsync(operatorClient, "/v1/list_loras")).GetProperty("active").EnumerateObject());
            var plain = await VideoApi.CreateAsync(client, VideoApi.TinyRequest());
            Assert.Equal(0, plain.GetProperty("lora").GetArrayLength());
            foreach (var id in new[] { defaulted, explicitNone, plain }.Select(v => v.GetProperty("id").GetString()!))
            {
                Assert.Equal("completed", (await VideoApi.WaitForStatusAsync(client, id, RunTimeout, "completed", "failed")).GetProperty("status").GetString());
            }
        }
        finally
        {
            using (await operatorClient.PostAsync("/v1/unmerge_lora_weights", null))
            {
            }
        }
    }

    private static async Task<JsonElement> RegisterAsync(HttpClient client, HttpContent upload)
    {
        using (upload)
        using (var response = await client.PostAsync("/v1/loras", upload))
        {
            var json = await VideoApi.ReadAsync(response);
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"registration failed: {(int)response.StatusCode} {json}");
            return json;
        }
    }

    private async Task<(JsonElement Video, string Sha256)> RunAsync(HttpClient client, object request)
    {
        var created = await VideoApi.CreateAsync(client, request);
        var id = created.GetProperty("id").GetString()!;
        var finished = await VideoApi.WaitForStatusAsync(client, id, RunTimeout, "completed", "failed");
        Assert.True(finished.GetProperty("status").GetString() == "completed", finished.ToString());
        using var download = await client.GetAsync($"/v1/videos/{id}/content");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        return (finished, Convert.ToHexStringLower(SHA256.HashData(await download.Content.ReadAsByteArrayAsync())));
    }

    private static Dictionary<string, object> WithLora(object request, params object[] loras)
    {
        var body = new Dictionary<string, object>((Dictionary<string, object>)request) { ["lora"] = loras };
        return body;
    }

    private static MultipartFormDataContent Scoped(MultipartFormDataContent form, string scope)
    {
        form.Add(new StringContent(scope), "scope");
        return form;
    }

    private string[] StoredUnder(string folder)
    {
        var root = Path.Combine(_factory.ClipDirectory, "tenants");
        return Directory.Exists(root)
            ? [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Where(path => path.Contains(Path.DirectorySeparatorChar + folder + Path.DirectorySeparatorChar, StringComparison.Ordinal))]
            : [];
    }
}
