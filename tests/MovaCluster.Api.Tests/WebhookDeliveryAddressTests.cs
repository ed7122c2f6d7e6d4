using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MovaCluster.Api.Tests.Infrastructure;
using MovaCluster.Api.Webhooks;

namespace MovaCluster.Api.Tests;

/// <summary>
/// Where a webhook delivery may connect, checked when it connects and not only at create: a host whose DNS answer
/// turns internal after the create (rebinding) is never reached, a redirect is followed only to an allowed address,
/// the operator's allow-list opens exactly what it names. The cluster resolves webhook hosts through
/// <see cref="ScriptedResolver"/>, whose names all lead to the tests' loopback receivers in the end.
/// </summary>
public sealed class WebhookDeliveryAddressTests(WebhookDeliveryAddressTests.Cluster cluster) : IClassFixture<WebhookDeliveryAddressTests.Cluster>
{
    private static readonly IPAddress Public = IPAddress.Parse("93.184.216.34");

    /// <summary>The slow cluster, http allowed, only the host name receiver.test allow-listed, webhook hosts resolved by a script.</summary>
    public sealed class Cluster : SlowGatewayFactory
    {
        public Cluster()
        {
            With("Mova:Gateway:Webhooks:AllowHttp", "true");
            With("Mova:Gateway:Webhooks:AllowedHosts:0", "receiver.test");
        }

        public ScriptedResolver Resolver { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services =>
            {
                services.RemoveAll<IWebhookHostResolver>();
                services.AddSingleton<IWebhookHostResolver>(Resolver);
            });
        }
    }

    /// <summary>Answers each name from its script (by how often it was asked), literals as they are.</summary>
    public sealed class ScriptedResolver : IWebhookHostResolver
    {
        private readonly ConcurrentDictionary<string, Func<int, IPAddress[]>> _scripts = new(StringComparer.OrdinalIgnoreCase);
        private readonly ConcurrentDictionary<string, int> _asked = new(StringComparer.OrdinalIgnoreCase);

        public void Answer(string host, Func<int, IPAddress[]> script) => _scripts[host] = script;

        public int Asked(string host) => _asked.GetValueOrDefault(host);

        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
        {
            var bare = host.Trim('[', ']');
            var call = _asked.AddOrUpdate(bare, 1, (_, n) => n + 1) - 1;
            return IPAddress.TryParse(bare, out var literal) ? Task.FromResult<IPAddress[]>([literal])
                : _scripts.TryGetValue(bare, out var script) ? Task.FromResult(script(call))
                : Task.FromException<IPAddress[]>(new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.HostNotFound));
        }
    }

    [Fact]
    public async Task A_host_that_resolves_public_at_create_and_to_loopback_at_delivery_is_never_reached()
    {
        await using var receiver = await WebhookReceiver.StartAsync(failFirst: 0);
        const string host = "rebind.test";
        cluster.Resolver.Answer(host, call => call == 0 ? [Public] : [IPAddress.Loopback]);
        using var client = await TenantClients.NewTenantAsync(cluster, "rebound");

        var id = await CreateAsync(client, $"http://{host}:{receiver.Port}/hooks");
        await VideoApi.WaitForStatusAsync(client, id, TimeSpan.FromSeconds(60), "completed");
        // The first delivery attempt and its retries each resolve the host again (at connect) and are refused.
        await WaitAsync(() => cluster.Resolver.Asked(host) >= 4, TimeSpan.FromSeconds(30));
        Assert.Empty(receiver.Deliveries);
    }

    [Fact]
    public async Task A_redirect_is_followed_only_to_an_allowed_address()
    {
        await using var first = await WebhookReceiver.StartAsync(failFirst: 0);
        await using var second = await WebhookReceiver.StartAsync(failFirst: 0);
        cluster.Resolver.Answer("receiver.test", _ => [IPAddress.Loopback]);
        var (client, _) = await TenantClients.NewTenantWithIdAsync(cluster, "redirected", webhookSecret: "whsec_redirect_secret");
        using var owned = client;

        // 127.0.0.1 as a literal is not on the allow-list (only the name receiver.test is): the redirect is refused.
        first.RedirectTo = $"http://127.0.0.1:{second.Port}/hooks";
        var id = await CreateAsync(client, $"http://receiver.test:{first.Port}/hooks");
        await first.WaitForAsync(() => first.Deliveries.Count >= 2, TimeSpan.FromSeconds(60));
        Assert.Empty(second.Deliveries);

        // The same redirect through the allow-listed name is followed and the signed POST repeated there.
        first.RedirectTo = $"http://receiver.test:{second.Port}/hooks";
        await second.WaitForAsync(() => !second.Deliveries.IsEmpty, TimeSpan.FromSeconds(30));
        var (headers, body, status) = second.Deliveries.First();
        Assert.Equal(200, status);
        Assert.StartsWith("v1,", headers["webhook-signature"], StringComparison.Ordinal);
        Assert.Contains(id, System.Text.Encoding.UTF8.GetString(body), StringComparison.Ordinal);
        Assert.Equal(first.Deliveries.Last().Headers["webhook-id"], headers["webhook-id"]);
    }

    [Fact]
    public async Task Internal_addresses_are_refused_at_create_unless_allow_listed_by_name()
    {
        cluster.Resolver.Answer("metadata.test", _ => [IPAddress.Parse("169.254.169.254")]);
        cluster.Resolver.Answer("mixed.test", _ => [Public, IPAddress.Parse("10.0.0.1")]);
        cluster.Resolver.Answer("receiver.test", _ => [IPAddress.Loopback]);
        using var client = await TenantClients.NewTenantAsync(cluster, "refused");
        foreach (var url in new[] { "http://metadata.test/latest", "http://mixed.test/hooks", "http://127.0.0.1/hooks", "http://[::1]/hooks", "http://2130706433/hooks", "http://nowhere.test/hooks" })
        {
            await ErrorAssert.IsAsync(await VideoApi.SendCreateAsync(client, WithWebhook(url)), HttpStatusCode.UnprocessableEntity, "webhook_url_refused", "webhook_url");
        }

        using var accepted = await VideoApi.SendCreateAsync(client, WithWebhook("http://receiver.test:9/hooks"));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public void The_gateways_own_addresses_are_refused_even_when_public_unless_allow_listed()
    {
        var own = IPAddress.Parse("93.184.216.40");
        var local = new LocalAddresses(TimeProvider.System, () => [own]);
        Assert.Equal("an address of the gateway itself", Guard(local, []).WhyRefused("api.example", own));
        Assert.Null(Guard(local, []).WhyRefused("api.example", Public));
        Assert.Null(Guard(local, ["93.184.216.40/32"]).WhyRefused("api.example", own));
        Assert.Null(Guard(local, ["api.example"]).WhyRefused("api.example", own));
        Assert.NotNull(Guard(local, ["api.example"]).WhyRefused("other.example", IPAddress.Parse("::ffff:127.0.0.1")));
    }

    [Fact]
    public void A_redirect_target_must_keep_the_urls_form()
    {
        var httpsOnly = new WebhookOptions();
        Assert.NotNull(WebhookUrlRules.Check(new Uri("http://hooks.example/h"), httpsOnly));
        Assert.NotNull(WebhookUrlRules.Check(new Uri("https://user:pw@hooks.example/h"), httpsOnly));
        Assert.NotNull(WebhookUrlRules.Check(new Uri("ftp://hooks.example/h"), new WebhookOptions { AllowHttp = true }));
        Assert.Null(WebhookUrlRules.Check(new Uri("https://hooks.example/h"), httpsOnly));
        Assert.Null(WebhookUrlRules.Check(new Uri("http://hooks.example/h"), new WebhookOptions { AllowHttp = true }));
    }

    private static WebhookAddressGuard Guard(LocalAddresses local, List<string> allowed) =>
        new(new DnsWebhookHostResolver(), local, Microsoft.Extensions.Options.Options.Create(new Configuration.GatewayOptions { Webhooks = new WebhookOptions { AllowedHosts = allowed } }));

    private static Dictionary<string, object> WithWebhook(string url)
    {
        var request = (Dictionary<string, object>)VideoApi.TinyRequest("hook me", steps: 2);
        request["webhook_url"] = url;
        return request;
    }

    private static async Task<string> CreateAsync(HttpClient client, string webhookUrl) =>
        (await VideoApi.CreateAsync(client, WithWebhook(webhookUrl))).GetProperty("id").GetString()!;

    private static async Task WaitAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(50);
        }
    }
}
