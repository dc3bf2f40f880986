using System.Diagnostics;
using System.Globalization;

namespace Presence.ScaleSim;

/// <summary>
/// Every presence event a live node received, judged: an offline for a user whose node is alive
/// and pinging is a false expiry; an offline for a crashed node's user is counted per user (exactly
/// once expected) with when it was announced.
/// </summary>
internal sealed class EventLedger
{
    private readonly SimState _state;
    private readonly int[] _falseOfflines;
    private readonly int[] _crashOfflines;
    private long _online;
    private long _falseExpired;
    private long _falseDisconnected;
    private long _falseUsers;
    private long _crashAnnounced;
    private long _crashOnlineAgain;
    private long _firstCrashOffline = long.MaxValue;
    private long _lastCrashOffline;

    /// <summary>Initializes a new instance of the <see cref="EventLedger"/> class.</summary>
    /// <param name="state">The run.</param>
    public EventLedger(SimState state)
    {
        _state = state;
        _falseOfflines = new int[state.Connections];
        _crashOfflines = new int[state.Connections];
    }

    /// <summary>Gets the number of <see cref="UserOnline"/> events.</summary>
    public long Online => Volatile.Read(ref _online);

    /// <summary>Gets false expiries: offline events (reason expired) for users whose node was alive.</summary>
    public long FalseExpired => Volatile.Read(ref _falseExpired);

    /// <summary>Gets offline events (reason disconnected) for users whose node was alive and never disconnected them.</summary>
    public long FalseDisconnected => Volatile.Read(ref _falseDisconnected);

    /// <summary>Gets how many distinct live users were wrongly announced offline.</summary>
    public long FalseUsers => Volatile.Read(ref _falseUsers);

    /// <summary>Gets how many of the crashed node's users were announced offline at least once.</summary>
    public long CrashAnnounced => Volatile.Read(ref _crashAnnounced);

    /// <summary>Gets online events for a crashed node's users after the crash (ghosts coming back).</summary>
    public long CrashOnlineAgain => Volatile.Read(ref _crashOnlineAgain);

    /// <summary>Gets the Stopwatch timestamp of the first offline announcement of a crashed node's user, or <see cref="long.MaxValue"/>.</summary>
    public long FirstCrashOffline => Volatile.Read(ref _firstCrashOffline);

    /// <summary>Gets the Stopwatch timestamp of the last offline announcement of a crashed node's user, or 0.</summary>
    public long LastCrashOffline => Volatile.Read(ref _lastCrashOffline);

    /// <summary>Records an event that node <paramref name="receivingNode"/> published.</summary>
    /// <param name="receivingNode">The node whose tracker published it.</param>
    /// <param name="presenceEvent">The event.</param>
    public void Record(int receivingNode, PresenceEvent presenceEvent)
    {
        if (!_state.Recording || _state.IsCrashed(receivingNode))
        {
            return;
        }

        var user = UserIndex(presenceEvent.UserId);
        if (user < 0 || user >= _state.Connections)
        {
            _state.Errors.Error($"node {receivingNode}: event for an unknown user {presenceEvent.UserId}");
            return;
        }

        var ownerCrashed = _state.IsCrashed(user % _state.Nodes);
        switch (presenceEvent)
        {
            case UserOnline:
                Interlocked.Increment(ref _online);
                if (ownerCrashed)
                {
                    Interlocked.Increment(ref _crashOnlineAgain);
                }

                break;
            case UserOffline offline when ownerCrashed:
                var now = Stopwatch.GetTimestamp();
                if (Interlocked.Increment(ref _crashOfflines[user]) == 1)
                {
                    Interlocked.Increment(ref _crashAnnounced);
                }

                Min(ref _firstCrashOffline, now);
                Max(ref _lastCrashOffline, now);
                _ = offline;
                break;
            case UserOffline offline:
                Interlocked.Increment(ref offline.Reason == OfflineReason.Expired ? ref _falseExpired : ref _falseDisconnected);
                if (Interlocked.Increment(ref _falseOfflines[user]) == 1)
                {
                    Interlocked.Increment(ref _falseUsers);
                }

                break;
        }
    }

    /// <summary>How many times the crashed node's users were announced offline more than once, and how many were never announced.</summary>
    /// <param name="crashedNode">The crashed node.</param>
    /// <param name="connected">Whether each user (by index) was connected when the node crashed.</param>
    /// <returns>Duplicate announcements (sum over users of count - 1) and misses.</returns>
    public (long Duplicates, long Misses, long Expected) CrashTally(int crashedNode, Func<int, bool> connected)
    {
        long duplicates = 0, misses = 0, expected = 0;
        for (var user = crashedNode; user < _state.Connections; user += _state.Nodes)
        {
            var count = Volatile.Read(ref _crashOfflines[user]);
            if (connected(user))
            {
                expected++;
                if (count == 0)
                {
                    misses++;
                }
            }

            duplicates += Math.Max(0, count - 1);
        }

        return (duplicates, misses, expected);
    }

    /// <summary>The user id of user <paramref name="index"/>.</summary>
    /// <param name="index">The user's number.</param>
    /// <returns>Its id.</returns>
    public static string UserId(int index) => "u" + index.ToString(CultureInfo.InvariantCulture);

    private static int UserIndex(string userId) =>
        userId.Length > 1 && userId[0] == 'u' && int.TryParse(userId.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : -1;

    private static void Min(ref long location, long value)
    {
        var current = Volatile.Read(ref location);
        while (value < current)
        {
            var seen = Interlocked.CompareExchange(ref location, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private static void Max(ref long location, long value)
    {
        var current = Volatile.Read(ref location);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref location, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
