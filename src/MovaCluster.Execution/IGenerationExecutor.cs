namespace MovaCluster.Execution;

/// <summary>
/// Runs generations on one device. Created, called and disposed only on that device's worker thread, which owns
/// its modules and dispose scopes. <see cref="Execute"/> checks the token at every step boundary and throws
/// <see cref="OperationCanceledException"/> there.
/// </summary>
public interface IGenerationExecutor : IDisposable
{
    ExecutorDescription Description { get; }

    GenerationOutput Execute(GenerationJob job, IGenerationObserver observer, CancellationToken cancellationToken);
}
