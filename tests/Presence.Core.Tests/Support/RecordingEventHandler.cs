namespace Presence.Core.Tests.Support;

/// <summary>Records every published event and lets a test wait for one without sleeping.</summary>
internal sealed class RecordingEventHandler : IPresenceEventHandler
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);
    private readonly Lock _gate = new();
    private readonly List<PresenceEvent> _events = [];
    private readonly List<(Func<PresenceEvent, bool> Match, TaskCompletionSource<PresenceEvent> Done)> _waiters = [];

    public IReadOnlyList<PresenceEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    public ValueTask HandleAsync(PresenceEvent presenceEvent, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _events.Add(presenceEvent);
            foreach (var waiter in _waiters.Where(w => w.Match(presenceEvent)).ToList())
            {
                waiter.Done.TrySetResult(presenceEvent);
                _waiters.Remove(waiter);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The first event (already seen or still to come) that matches.</summary>
    public Task<PresenceEvent> WaitForAsync(Func<PresenceEvent, bool> match)
    {
        lock (_gate)
        {
            var seen = _events.FirstOrDefault(match);
            if (seen is not null)
            {
                return Task.FromResult(seen);
            }

            var done = new TaskCompletionSource<PresenceEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, done));
            return done.Task.WaitAsync(s_timeout);
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _events.Clear();
        }
    }
}
