using System.Reflection;
using System.Text.RegularExpressions;

namespace MovaCluster.Execution;

/// <summary>
/// The text a job's error (and a device's failure on /health) shows: the failure's own message and its innermost
/// cause, which wrappers like "ffmpeg could not mux" would otherwise hide, with every file-system path on the worker
/// reduced to its last part (a client needs the file's name, never the worker's disk layout). A
/// <see cref="DeviceThreads.DeviceExecutionException"/> counts as innermost: it already states libtorch's message.
/// </summary>
public static partial class FailureText
{
    public static string Describe(Exception failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var outer = Unwrap(failure);
        var innermost = outer;
        // A device failure already says its libtorch cause in one line; below it is libtorch's C++ backtrace.
        while (innermost.InnerException is not null && innermost is not DeviceThreads.DeviceExecutionException)
        {
            innermost = Unwrap(innermost.InnerException);
        }

        var text = $"{outer.GetType().Name}: {outer.Message.TrimEnd(' ', ':', '\n', '\r')}";
        if (!ReferenceEquals(innermost, outer) && !outer.Message.Contains(innermost.Message, StringComparison.Ordinal))
        {
            text += $" (cause: {innermost.GetType().Name}: {innermost.Message.TrimEnd()})";
        }

        return WithoutPaths(text);
    }

    /// <summary>Replaces each absolute path (POSIX or Windows) in <paramref name="text"/> with its last part.</summary>
    public static string WithoutPaths(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return AbsolutePath().Replace(text, match =>
        {
            var path = match.Value.TrimEnd('/', '\\', '.');
            var last = path[(path.LastIndexOfAny(['/', '\\']) + 1)..];
            return last.Length == 0 ? "<path>" : last;
        });
    }

    /// <summary>Aggregates of one failure and reflection wrappers say nothing themselves.</summary>
    private static Exception Unwrap(Exception failure) => failure switch
    {
        AggregateException { InnerExceptions.Count: 1 } aggregate => Unwrap(aggregate.InnerExceptions[0]),
        TargetInvocationException { InnerException: { } inner } => Unwrap(inner),
        _ => failure,
    };

    // A '/' that starts a path (not after a word character, ':' of a URL scheme, '/' or '.') followed by at least one
    // path character, through every further segment; or a drive letter with a backslash.
    [GeneratedRegex(@"(?<![\w:/.\\])/[^\s'""`:;,()\[\]{}<>|*?]+(?:/[^\s'""`:;,()\[\]{}<>|*?]*)*|\b[A-Za-z]:\\[^\s'""`:;,()\[\]{}<>|*?]*")]
    private static partial Regex AbsolutePath();
}
