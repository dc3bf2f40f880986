namespace Presence.Core.Tests.Support;

/// <summary>
/// Records every published event and lets a test wait for one without sleeping. Every event's version
/// must be higher than the last one recorded for its user (checked as it arrives); <see cref="Events"/>
/// lists events with their version set to 0, so tests state the rest exactly, and <see cref="VersionedEvents"/> as published.
/// </summary>
internal sealed class RecordingEventHandler : IPresenceEventHandler
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);
    private readonly Lock _gate = new();
    private readonly List<PresenceEvent> _events = [];
    private readonly List<(Func<PresenceEvent, bool> Match, TaskCompletionSource<PresenceEvent> Done)> _waiters = [];

    private readonly Dictionary<string, long> _versions = new(StringComparer.Ordinal);

    public IReadOnlyList<PresenceEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events.Select(static e => e with { Version = 0 })];
            }
        }
    }

    public IReadOnlyList<PresenceEvent> VersionedEvents
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
            var last = _versions.GetValueOrDefault(presenceEvent.UserId);
            if (presenceEvent.Version <= last)
            {
                throw new InvalidOperationException($"{presenceEvent} has version {presenceEvent.Version}, not above the user's last {last}.");
            }

            _versions[presenceEvent.UserId] = presenceEvent.Version;
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
