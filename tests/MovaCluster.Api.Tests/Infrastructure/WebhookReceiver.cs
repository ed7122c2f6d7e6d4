using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using MovaCluster.Testing;

namespace MovaCluster.Api.Tests.Infrastructure;

/// <summary>
/// A loopback HTTP endpoint that records webhook deliveries and fails the first <c>failFirst</c> of them with 500
/// (all of them while <see cref="Refusing"/>).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _calls;

    private WebhookReceiver(WebApplication app, int port)
    {
        _app = app;
        Port = port;
        Url = $"http://127.0.0.1:{port}/hooks";
    }

    public string Url { get; }

    public int Port { get; }

    /// <summary>When set, every delivery is answered 307 to this URL (after being recorded, with status 307).</summary>
    public string? RedirectTo { get; set; }

    /// <summary>While true every delivery is answered 500.</summary>
    public bool Refusing { get; set; }

    public ConcurrentQueue<(Dictionary<string, string> Headers, byte[] Body, int Status)> Deliveries { get; } = new();

    public static async Task<WebhookReceiver> StartAsync(int failFirst)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, port);
        app.MapPost("/hooks", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
            if (receiver.RedirectTo is { } target)
            {
                receiver.Deliveries.Enqueue((headers, body.ToArray(), 307));
                return Results.Redirect(target, permanent: false, preserveMethod: true);
            }

            var status = Interlocked.Increment(ref receiver._calls) <= failFirst || receiver.Refusing ? 500 : 200;
            receiver.Deliveries.Enqueue((headers, body.ToArray(), status));
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        return receiver;
    }

    public async Task WaitForAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Webhook deliveries so far: {Deliveries.Count}.");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
