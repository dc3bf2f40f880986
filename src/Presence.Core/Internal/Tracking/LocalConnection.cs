namespace Presence.Internal;

/// <summary>
/// A connection open on this node, and the heartbeats it has in flight. Closing it first stops new
/// heartbeats from starting, then waits for those already running, so no heartbeat of a closed
/// connection reaches the store after its disconnect (where it would register the connection again).
/// </summary>
internal sealed class LocalConnection(string userId)
{
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _pings;
    private int _closed;

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

    /// <summary>Refuses new heartbeats and completes when none is in flight any more.</summary>
    public Task CloseAsync()
    {
        Interlocked.Exchange(ref _closed, 1);
        if (Volatile.Read(ref _pings) == 0)
        {
            _drained.TrySetResult();
        }

        return _drained.Task;
    }
}
