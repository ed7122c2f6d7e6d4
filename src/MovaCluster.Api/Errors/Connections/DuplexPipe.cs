using System.IO.Pipelines;

namespace MovaCluster.Api.Errors.Connections;

/// <summary>A connection's transport with its output replaced.</summary>
internal sealed record DuplexPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;
