using System.Threading.Tasks.Sources;
using Microsoft.Extensions.Options;

namespace Presence.Core.Tests.Support;

/// <summary>
/// Answers heartbeats with ValueTasks backed by an <see cref="IValueTaskSource{TResult}"/> that may be
/// consumed once, as pooled sources are: reading a result twice fails loudly.
/// </summary>
internal sealed class SingleUseValueTaskStore(IOptions<PresenceOptions> options, TimeProvider timeProvider) : DelegatingPresenceStore(options, timeProvider)
{
    private int _results;

    public int Results => Volatile.Read(ref _results);

    public override ValueTask<PresenceTransition> RefreshConnectionAsync(string userId, string connectionId, CancellationToken cancellationToken = default)
    {
        var change = Inner.RefreshConnectionAsync(userId, connectionId, cancellationToken).AsTask().GetAwaiter().GetResult();
        return new ValueTask<PresenceTransition>(new Source(this, change), 0);
    }

    private sealed class Source(SingleUseValueTaskStore owner, PresenceTransition change) : IValueTaskSource<PresenceTransition>
    {
        private int _consumed;

        public PresenceTransition GetResult(short token)
        {
            if (Interlocked.Exchange(ref _consumed, 1) != 0)
            {
                throw new InvalidOperationException("This ValueTask was already consumed.");
            }

            Interlocked.Increment(ref owner._results);
            return change;
        }

        public ValueTaskSourceStatus GetStatus(short token) => ValueTaskSourceStatus.Succeeded;

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            continuation(state);
    }
}
