using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace MovaCluster.Api.Errors.Connections;

/// <summary>
/// Kestrel answers a request it cannot parse (a malformed request line or header, a URL or header block over its
/// limits, an unsupported HTTP version) by itself, with an empty body, before any middleware runs, and nothing in
/// ASP.NET Core lets an application change that answer. This connection middleware does: it passes the connection's
/// output through untouched while the application is handling a request on it (<see cref="ApplicationResponding"/>
/// counts them) and holds what Kestrel writes between requests, so that an empty error answer of Kestrel's can be
/// given a body (<see cref="KestrelErrorResponse"/>) before it goes out, in the shape of the path whose request line
/// was read, when there was one.
/// </summary>
public sealed class ErrorBodyConnection
{
    private int _responding;

    /// <summary>True while the application handles at least one request on this connection.</summary>
    public bool ApplicationBusy => Volatile.Read(ref _responding) > 0;

    /// <summary>The path of the request line Kestrel is reading between requests, when one was seen.</summary>
    public string? RequestPath { get; set; }

    /// <summary>Adds the middleware to every Kestrel endpoint (those from URLs and configuration included).</summary>
    public static void AddTo(KestrelServerOptions kestrel)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        kestrel.ConfigureEndpointDefaults(listen => listen.Use(next => connection => RunAsync(next, connection)));
    }

    /// <summary>Called by the application's first middleware: the connection's output belongs to it until the response completes.</summary>
    public static void ApplicationResponding(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(typeof(ErrorBodyConnection), out var found) == true
            && found is ErrorBodyConnection connection)
        {
            Interlocked.Increment(ref connection._responding);
            connection.RequestPath = null;
            context.Response.OnCompleted(static state =>
            {
                Interlocked.Decrement(ref ((ErrorBodyConnection)state)._responding);
                return Task.CompletedTask;
            }, connection);
        }
    }

    private static async Task RunAsync(ConnectionDelegate next, ConnectionContext connection)
    {
        var state = new ErrorBodyConnection();
        connection.Items[typeof(ErrorBodyConnection)] = state;
        var transport = connection.Transport;
        connection.Transport = new DuplexPipe(new ErrorBodyPipeReader(transport.Input, state), new ErrorBodyPipeWriter(transport.Output, state));
        try
        {
            await next(connection);
        }
        finally
        {
            connection.Transport = transport;
        }
    }
}
