namespace Presence.Internal;

/// <summary>
/// A connection open on this node, and the heartbeats it has in flight. Closing it first stops new
/// heartbeats from starting, then waits for those already running, so no heartbeat of a closed
/// connection reaches the store after its disconnect (where it would register the connection again).
/// A heartbeat that registered the connection again (the store had lost or expired it) while the
/// connection was closing is not announced: its online is held, and the disconnect then announces
/// nothing (the user is offline again) or the held online (another connection keeps the user online).
/// </summary>
internal sealed class LocalConnection(string userId)
{
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private int _pings;
    private int _closed;
    private PresenceTransition? _heldOnline;

    public string UserId { get; } = userId;

    /// <summary>Counts a heartbeat in; <see langword="false"/> (and nothing counted) once the connection is closing.</summary>
    public bool TryBeginPing()
    {
        Interlocked.Increment(ref _pings);
        if (Volatile.Read(ref _closed) == 0)
        {
            return true;
        }

        EndPing();
        return false;
    }

    /// <summary>Counts a heartbeat out; the last one out of a closing connection lets <see cref="CloseAsync"/> continue.</summary>
    public void EndPing()
    {
        if (Interlocked.Decrement(ref _pings) == 0 && Volatile.Read(ref _closed) == 1)
        {
            _drained.TrySetResult();
        }
    }

    /// <summary>
    /// A heartbeat of this connection brought its user online: <see langword="true"/> to announce it now;
    /// <see langword="false"/> when the connection is closing, and the online is held for the disconnect.
    /// </summary>
    public bool TryAnnounceOnline(PresenceTransition online)
    {
        lock (_gate)
        {
            if (_closed == 0)
            {
                return true;
            }

            _heldOnline = online;
            return false;
        }
    }

    /// <summary>The online a heartbeat registered while the connection was closing, if any; read once the heartbeats drained.</summary>
    public PresenceTransition? HeldOnline
    {
        get
        {
            lock (_gate)
            {
                return _heldOnline;
            }
        }
    }

    /// <summary>Refuses new heartbeats and completes when none is in flight any more.</summary>
    public Task CloseAsync()
    {
        lock (_gate)
        {
            _closed = 1;
        }

        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _pings) == 0)
        {
            _drained.TrySetResult();
        }

        return _drained.Task;
    }
}
