using System.Text;
using Presence.Chaos.History;
using Presence.Chaos.Scenario;

namespace Presence.Chaos.Checking;

/// <summary>
/// Checks every recorded history against the promise (issue 13, docs/reliability.md):
/// <list type="number">
/// <item>convergence: after quiescence, each live watcher's view (the protocol's version rule applied
/// to what it received) and the store equal the truth;</item>
/// <item>order: per user, at every watcher, the received events in version order alternate online /
/// offline (a status only while online), one version means one event, and no connection receives an
/// event twice;</item>
/// <item>timeliness: no user shown online (by a watcher or the store) longer than
/// <c>ConnectionTtl + SweepInterval + 1 s</c> after its last connection died, none shown offline
/// while connected, outside the fault windows (each extended by <see cref="Recovery"/>), and no
/// "came online" decided while the user had no open connection;</item>
/// <item>entitlement: no event, and no bulk-online entry, about a user outside the watcher's team
/// (the demo's <c>TeamInterestResolver</c>: a team's changes go to the team's group only).</item>
/// </list>
/// A broken property is a defect unless a documented limit explains it; the excerpt says which.
/// </summary>
internal sealed class HistoryChecker
{
    /// <summary>How long an event may take to reach every watcher on a busy 2-core machine, outside faults.</summary>
    public const double Delivery = 1.0;

    /// <summary>How long after a fault ends its effects may last: two heartbeats (restore, re-registration) and a second.</summary>
    public static readonly double Recovery = (2 * ChaosOptions.HeartbeatInterval.TotalSeconds) + 1;

    /// <summary>
    /// After Redis is back (or the node runs again), the node's connection reconnects within half a heartbeat
    /// interval and subscribes again; a publication later than this, plus delivery, must reach every watcher.
    /// </summary>
    public static readonly double Resubscribe = (ChaosOptions.HeartbeatInterval.TotalSeconds / 2) + Delivery;

    /// <summary>ConnectionTtl + SweepInterval + 1 s: the longest a dead connection may keep its user online.</summary>
    public static readonly double ExpiryBound = ChaosOptions.ConnectionTtl.TotalSeconds + ChaosOptions.SweepInterval.TotalSeconds + 1;

    /// <summary>OfflineGracePeriod + SweepInterval + 1 s: the longest a cleanly closed last connection may keep its user online.</summary>
    public static readonly double GraceBound = ChaosOptions.OfflineGracePeriod.TotalSeconds + ChaosOptions.SweepInterval.TotalSeconds + 1;

    /// <summary>How long after a close an event decided by that connection's last call may still carry the close's moment.</summary>
    private const double CloseSlack = 0.3;

    private const string SnapshotLimit = "protocol.md Known limits: a bulk-online snapshot older than an event the watcher already applied";
    private const string LostInFaultLimit = "at-most-once backplane: an event published while Redis restarted, or while the watcher's node was frozen, is lost; it heals at the next reconnect";
    private const string DataLossLimit = "redis.md Known limits after data loss: a user who left during the outage is never announced offline; an extra came online";
    private const string SettlingSnapshotLimit = "redis.md Known limits after data loss: a snapshot (bulk-online, subscribe reply) read before every node put its connections back misses their users; the resync after the settling replaces it";
    private const string DirectoryLostLimit = "signalr.md Subscriptions: the watch group is chosen by the interest resolver's answer at subscribe time; the demo's team directory lives in the presence Redis and was lost with the data until the test wrote it back, so a subscribe answered meanwhile joined a teammate's watch group and the connection hears that teammate twice until it subscribes again";
    private const string CrossedLimit = "protocol.md Ordering: events about one user can cross on the way; one held up (its node slowed or frozen, or its PUBLISH on a paused master) arrived after a newer one, and the version rule dropped it";
    private const string BeforeBulkOnlineLimit = "protocol.md Ordering (rule 5): a change published before the connection was registered may not reach it (it joins its groups while it connects); its bulk-online, which comes later, carries the state";
    private const string AudienceLostLimit = "reliability.md Found in the demo: the demo's team directory lives in the presence Redis; a change published while it was lost with the data (before the test wrote it back) has no team audience, so only the user's subscribers hear it; the resync after the settling replaces the views";
    private const string DelayedPublicationLimit = "a change published late (its node frozen, or slowed on its link to Redis) reached the other watchers only after this one closed";
    private const string FrozenNodeLimit = "a node frozen between deciding a change and publishing it publishes it when it resumes, older than what other nodes published meanwhile: the version rule drops it at the watchers that heard those";
    private const string NodeKillLimit = "a node killed between deciding a transition and publishing it: nobody hears that transition";

    /// <summary>Open defects: real, reproduced, reported in docs/reliability.md "Settling and resync: the open defects, from thousands to tens"; the suite stays green on them only because they are listed there.</summary>
    public const string OpenDefectPrefix = "OPEN DEFECT";

    private const string FalseOfflineBeforeRestoreDefect = "redis.md Known limits after data loss: a change announced around the loss that the recovery then contradicts silently (a node that restored only after the shard settled, whose users were taken offline meanwhile; an offline the restart from an older snapshot rolled back) is followed by a change that assumes the other state; the resync after the settling, and the late node's own call for one, replace the views";
    private const string SnapshotSweepDefect = OpenDefectPrefix + " D5 (reliability.md): after a restart from an RDB snapshot, an offline decided before the shard settled is followed by a status or a second offline (the store takes nobody offline for lack of a holder while it settles, so this is a new way in)";
    private const string ClosingPingLimit = "protocol.md Known limits: a ping sent just before a tab closed (in flight at the close, or held up by a stall or a frozen node), by a connection the store had dropped, registers it again: the server handles the ping before it sees the close, so the user comes online until the close is handled";
    private const string StallDefect = OpenDefectPrefix + " D3 (reliability.md): near a Redis stall (CLIENT PAUSE, added latency, a frozen node) and no data loss, a transition is lost or doubled at a watcher: not yet isolated";

    private readonly ChaosRun _run;
    private readonly Intervals _faults;
    private readonly List<FaultWindow> _dataLoss;
    private readonly Dictionary<string, Intervals> _allowedOnline = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Intervals> _allowedOnlineOrFault = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Intervals> _mustBeOnline = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Intervals> _open = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<SessionHistory>> _sessionsOf = new(StringComparer.Ordinal);

    // (user, version) → the first event received with it, and who received it.
    private readonly Dictionary<(string UserId, long Version), (ReceivedEvent Event, int SessionId)> _decided = [];
    private readonly Dictionary<string, List<ReceivedEvent>> _decidedByUser = new(StringComparer.Ordinal);

    // (user, version) → when any watcher first received it.
    private readonly Dictionary<(string UserId, long Version), double> _firstHeard = [];
    private readonly List<Violation> _violations = [];

    // The watcher being checked: when its view of each user started (bulk-online, or the subscribe reply).
    private readonly Dictionary<string, double> _viewStart = new(StringComparer.Ordinal);

    // The watcher being checked: the last snapshot that covered each user, the base its later events are checked against.
    private readonly Dictionary<string, Baseline> _baselines = new(StringComparer.Ordinal);

    public HistoryChecker(ChaosRun run)
    {
        _run = run;
        _faults = Intervals.Of(run.Faults.Select(static f => (f.Start, f.End + Recovery)));
        _dataLoss = [.. run.Faults.Where(static f => f.LosesData)];
        var end = run.CheckAt + 3600;
        foreach (var userId in run.TeamOf.Keys)
        {
            var sessions = run.Sessions.Where(s => s.UserId == userId).ToList();
            _sessionsOf[userId] = sessions;
            _allowedOnline[userId] = Intervals.Of(sessions.Select(s => (s.OpenedAt, Died(s, end) + (ClosedCleanly(s) ? Math.Max(ExpiryBound, GraceBound) : ExpiryBound) + Delivery)));
            _allowedOnlineOrFault[userId] = _allowedOnline[userId].Union(_faults);
            _mustBeOnline[userId] = Intervals.Of(sessions
                .Where(static s => !double.IsNaN(s.RegisteredAt))
                .Select(s => (s.RegisteredAt + Delivery, LeaseSurelyHeld(s, end) - Delivery)));
            _open[userId] = Intervals.Of(sessions.Select(s => (s.OpenedAt, s.IsClosed ? s.ClosedAt + CloseSlack : end)));
        }
    }

    public CheckReport Check()
    {
        var watchers = _run.Sessions.Where(static s => !double.IsNaN(s.RegisteredAt)).ToList();
        long events = 0, bulkEntries = 0, dropped = 0;
        foreach (var watcher in watchers)
        {
            foreach (var e in watcher.Events.Where(static e => e.IsTransitionOrStatus))
            {
                _firstHeard[(e.UserId, e.Version)] = Math.Min(_firstHeard.GetValueOrDefault((e.UserId, e.Version), double.MaxValue), e.ArrivedAt);
                if (_decided.TryAdd((e.UserId, e.Version), (e, watcher.Id)))
                {
                    (_decidedByUser.TryGetValue(e.UserId, out var list) ? list : _decidedByUser[e.UserId] = []).Add(e);
                }
            }
        }

        foreach (var list in _decidedByUser.Values)
        {
            list.Sort(static (a, b) => a.Version.CompareTo(b.Version));
        }

        foreach (var watcher in watchers)
        {
            var result = CheckWatcher(watcher);
            events += result.Events;
            bulkEntries += result.BulkEntries;
            dropped += result.Dropped;
        }

        CheckGhostOnlines();
        CheckStoreSamples();
        CheckFinalStore();

        return new CheckReport(_run, watchers.Count, events, bulkEntries, dropped, _decided.Count, _violations);
    }

    /// <summary>When the session's last lease could at the latest have started: its close, or (silent) its last ping.</summary>
    private static double Died(SessionHistory s, double end)
    {
        var died = s.IsClosed ? s.ClosedAt : end;
        if (!double.IsNaN(s.SilentAt))
        {
            died = Math.Min(died, Math.Max(s.SilentAt, double.IsNaN(s.LastPingAckAt) ? s.SilentAt : s.LastPingAckAt));
        }

        return died;
    }

    /// <summary>Whether the test closed the session itself (the server sees a disconnect, so an offline grace period applies), not a node kill or a refusal.</summary>
    private static bool ClosedCleanly(SessionHistory s) => s.CloseCause is "closed" or "closed with a ping in flight";

    /// <summary>
    /// Until when the session surely keeps its user online: until its close plus the offline grace period
    /// (a clean close of a connection still pinging), or (silent) its last ping's send time + TTL.
    /// </summary>
    private static double LeaseSurelyHeld(SessionHistory s, double end)
    {
        var held = s.IsClosed ? s.ClosedAt + (ClosedCleanly(s) ? ChaosOptions.OfflineGracePeriod.TotalSeconds : 0) : end;
        if (!double.IsNaN(s.SilentAt))
        {
            var leaseStart = double.IsNaN(s.LastPingSentAt) ? s.OpenedAt : s.LastPingSentAt;
            held = Math.Min(held, Math.Min(s.SilentAt, leaseStart) + ChaosOptions.ConnectionTtl.TotalSeconds);
        }

        return held;
    }

    private (long Events, long BulkEntries, long Dropped) CheckWatcher(SessionHistory watcher)
    {
        var received = watcher.Events;
        var teamUsers = _run.TeamOf.Where(p => p.Value == watcher.Team).Select(static p => p.Key).ToList();
        var team = teamUsers.ToHashSet(StringComparer.Ordinal);
        var known = new Dictionary<string, long>(StringComparer.Ordinal);
        var online = new HashSet<string>(StringComparer.Ordinal);
        var since = new Dictionary<string, (double At, string Source, bool Stale)>(StringComparer.Ordinal);
        var seen = new HashSet<(string, long)>();
        var byUser = new Dictionary<string, List<ReceivedEvent>>(StringComparer.Ordinal);
        _baselines.Clear();

        // Whose view is judged, from when: team members from the bulk-online on; subscribed users from the
        // subscribe reply until the unsubscribe. Entitled: the team, and every user from the moment a
        // subscribe naming them was sent until Delivery after the unsubscribe's reply.
        var viewed = new HashSet<string>(StringComparer.Ordinal);
        _viewStart.Clear();
        var subscribed = new HashSet<string>(StringComparer.Ordinal);
        var unsubscribedAt = new Dictionary<string, double>(StringComparer.Ordinal);
        long bulkEntries = 0, dropped = 0, messages = 0;
        var end = Math.Min(watcher.IsClosed ? watcher.ClosedAt : _run.CheckAt, _run.CheckAt);

        foreach (var e in received)
        {
            if (e.ArrivedAt > _run.CheckAt)
            {
                break;
            }

            switch (e.Kind)
            {
                case EventKind.SubscribeSent:
                    subscribed.UnionWith(e.Scope);
                    continue;
                case EventKind.Unsubscribed:
                    foreach (var userId in e.Scope)
                    {
                        subscribed.Remove(userId);
                        unsubscribedAt[userId] = e.ArrivedAt;
                        if (!team.Contains(userId) && viewed.Remove(userId))
                        {
                            CheckPiece(watcher, userId, online.Contains(userId), since[userId], e.ArrivedAt);
                        }
                    }

                    continue;
                case EventKind.BulkOnline:
                    messages++;
                    bulkEntries += e.Users.Count;
                    foreach (var userId in e.Users.Where(u => !team.Contains(u)))
                    {
                        Add("entitlement", null, $"bulk-online to session #{watcher.Id} ({watcher.Team}) lists {userId} ({TeamOfOrUnknown(userId)})", watcher, userId, e.ArrivedAt);
                    }

                    ApplySnapshot(watcher, e, teamUsers, "bulk", known, online, since, viewed, byUser);
                    continue;
                case EventKind.SubscribeReply:
                    messages++;
                    bulkEntries += e.Users.Count;
                    foreach (var userId in e.Users.Where(u => !e.Scope.Contains(u)))
                    {
                        Add("entitlement", null, $"the subscribe reply to session #{watcher.Id} ({watcher.Team}) for [{string.Join(' ', e.Scope)}] lists {userId}, which it did not name", watcher, userId, e.ArrivedAt);
                    }

                    // Users unsubscribed meanwhile (the reply of an earlier subscribe arriving late cannot happen: calls are awaited one at a time).
                    ApplySnapshot(watcher, e, [.. e.Scope.Where(u => subscribed.Contains(u) || team.Contains(u))], "subscribe reply", known, online, since, viewed, byUser);
                    continue;
            }

            messages++;
            if (!team.Contains(e.UserId) && !subscribed.Contains(e.UserId)
                && !(unsubscribedAt.TryGetValue(e.UserId, out var left) && e.ArrivedAt <= left + Delivery))
            {
                Add("entitlement", null, $"session #{watcher.Id} ({watcher.Team}) received {e}; {e.UserId} is in {TeamOfOrUnknown(e.UserId)} and not subscribed", watcher, e.UserId, e.ArrivedAt);
                continue;
            }

            if (!seen.Add((e.UserId, e.Version)))
            {
                Add("at most once per connection", SubscribedWhileDirectoryLost(watcher, e.UserId, team) ? DirectoryLostLimit : null,
                    $"session #{watcher.Id} received v{e.Version} of {e.UserId} twice: {e}", watcher, e.UserId, e.ArrivedAt);
                continue;
            }

            var first = _decided[(e.UserId, e.Version)];
            if (first.Event.Kind != e.Kind || first.Event.Status != e.Status)
            {
                Add("one version, one event", null, $"v{e.Version} of {e.UserId} is {first.Event} at session #{first.SessionId} but {e} at session #{watcher.Id}", watcher, e.UserId, e.ArrivedAt);
            }

            (byUser.TryGetValue(e.UserId, out var list) ? list : byUser[e.UserId] = []).Add(e);
            if (e.Version <= known.GetValueOrDefault(e.UserId))
            {
                dropped++;
                continue;
            }

            known[e.UserId] = e.Version;
            // A status is sent only while its user is online, so a client shows that user online (protocol.md,
            // @presence/client): also one heard before the watcher's bulk-online.
            var becomesOnline = e.Kind != EventKind.Offline;
            var was = online.Contains(e.UserId);
            if (viewed.Contains(e.UserId) && was != becomesOnline)
            {
                CheckPiece(watcher, e.UserId, was, since[e.UserId], e.ArrivedAt);
                since[e.UserId] = (e.ArrivedAt, $"{e.Kind} v{e.Version}", false);
            }
            else if (!viewed.Contains(e.UserId))
            {
                since[e.UserId] = (e.ArrivedAt, $"{e.Kind} v{e.Version}", false);
            }

            if (becomesOnline)
            {
                online.Add(e.UserId);
            }
            else
            {
                online.Remove(e.UserId);
            }
        }

        foreach (var userId in viewed)
        {
            CheckPiece(watcher, userId, online.Contains(userId), since[userId], end);
        }

        if (viewed.Count > 0 && (!watcher.IsClosed || watcher.ClosedAt > _run.CheckAt))
        {
            CheckConvergence(watcher, [.. viewed.Order(StringComparer.Ordinal)], online, known, since);
        }

        foreach (var (userId, list) in byUser)
        {
            CheckAlternation(watcher, userId, BaselineOf(userId), [.. list.OrderBy(static e => e.Version)]);
        }

        return (messages, bulkEntries, dropped);
    }

    /// <summary>
    /// A bulk-online (for the team) or a subscribe reply (for the users it named): replaces the view of
    /// <paramref name="scope"/> without lowering known versions, and starts judging those users' views.
    /// </summary>
    private void ApplySnapshot(SessionHistory watcher, ReceivedEvent e, IReadOnlyList<string> scope, string label, Dictionary<string, long> known,
        HashSet<string> online, Dictionary<string, (double At, string Source, bool Stale)> since, HashSet<string> viewed, Dictionary<string, List<ReceivedEvent>> byUser)
    {
        var listed = e.Users.ToHashSet(StringComparer.Ordinal);
        foreach (var userId in scope)
        {
            // The snapshot starts a new stretch of this user's history: what came before is checked up to it,
            // what comes after is checked against the snapshot's state.
            if (byUser.Remove(userId, out var segment))
            {
                CheckAlternation(watcher, userId, BaselineOf(userId), [.. segment.OrderBy(static x => x.Version)]);
            }

            var before = known.GetValueOrDefault(userId);
            var wasOnline = online.Contains(userId);

            var isListed = listed.Contains(userId);
            var hasVersion = e.Versions.TryGetValue(userId, out var version);

            // A listing, or an offline version, older than an event the watcher applied already: by the version rule
            // that event's state stands. Leaving out, with no version, a user the watcher just heard come online may be
            // the same (protocol.md's snapshot race).
            var older = hasVersion && version < before;
            var nowOnline = older ? wasOnline : isListed;
            var stale = isListed
                ? older
                : !hasVersion && wasOnline && since.TryGetValue(userId, out var s) && !IsSnapshot(s.Source) && e.ArrivedAt - s.At < 2;
            _baselines[userId] = older
                ? new Baseline(e, label, wasOnline, before, Stale: false)
                : new Baseline(e, label, isListed, hasVersion ? version : null, stale);
            if (nowOnline || hasVersion)
            {
                known[userId] = Math.Max(before, version);
            }

            if (viewed.Contains(userId))
            {
                if (wasOnline != nowOnline)
                {
                    CheckPiece(watcher, userId, wasOnline, since[userId], e.ArrivedAt);
                    since[userId] = (e.ArrivedAt, stale ? $"{label} (stale)" : label, stale);
                }
            }
            else
            {
                since[userId] = (e.ArrivedAt, stale ? $"{label} (stale)" : label, stale);
                viewed.Add(userId);
                _viewStart[userId] = e.ArrivedAt;
            }

            if (nowOnline)
            {
                online.Add(userId);
            }
            else
            {
                online.Remove(userId);
            }
        }
    }

    /// <summary>Whether the watcher subscribed to its teammate <paramref name="userId"/> while a data loss had emptied the demo's team directory.</summary>
    private bool SubscribedWhileDirectoryLost(SessionHistory watcher, string userId, HashSet<string> team)
    {
        if (!team.Contains(userId))
        {
            return false;
        }

        var sent = double.NaN;
        foreach (var e in watcher.Events)
        {
            if (e.Kind == EventKind.SubscribeSent && e.Scope.Contains(userId))
            {
                sent = e.ArrivedAt;
            }
            else if (e.Kind is EventKind.SubscribeReply && e.Scope.Contains(userId) && !double.IsNaN(sent)
                && _dataLoss.Any(f => f.Start <= e.ArrivedAt && sent <= f.End + Delivery))
            {
                return true;
            }
        }

        return false;
    }

    private Baseline? BaselineOf(string userId) => _baselines.TryGetValue(userId, out var baseline) ? baseline : null;

    private static bool IsSnapshot(string source) => source.StartsWith("bulk", StringComparison.Ordinal) || source.StartsWith("subscribe", StringComparison.Ordinal);

    private void CheckPiece(SessionHistory watcher, string userId, bool shownOnline, (double At, string Source, bool Stale) since, double until)
    {
        if (until <= since.At)
        {
            return;
        }

        if (shownOnline)
        {
            if (_allowedOnlineOrFault[userId].FirstUncovered(since.At, until) is { } t)
            {
                var limit = Explain(watcher, userId, t, since, expectOnline: false);
                Add("no ghost: online at most ConnectionTtl + SweepInterval + 1 s after the last connection died", limit,
                    $"session #{watcher.Id} ({watcher.Team}, node {watcher.Node}) shows {userId} online at {t:0.000} (since {since.At:0.000}, from {since.Source}) with no connection alive within {ExpiryBound:0.#} s",
                    watcher, userId, t);
            }
        }
        else if (_mustBeOnline[userId].FirstCoveredOutside(since.At, until, _faults) is { } t)
        {
            var limit = Explain(watcher, userId, t, since, expectOnline: true);
            Add("no false offline: a connected, pinging user is shown online", limit,
                $"session #{watcher.Id} ({watcher.Team}, node {watcher.Node}) shows {userId} offline at {t:0.000} (since {since.At:0.000}, from {since.Source}) while connected",
                watcher, userId, t);
        }
    }

    /// <summary>Names the documented limit that explains a wrong view at <paramref name="t"/>, or null for a defect.</summary>
    private string? Explain(SessionHistory watcher, string userId, double t, (double At, string Source, bool Stale) since, bool expectOnline)
    {
        if (since.Stale)
        {
            return SnapshotLimit;
        }

        var receivedVersions = watcher.Events.Where(e => e.UserId == userId && e.ArrivedAt <= t).Select(static e => e.Version).ToHashSet();
        // Decided after the watcher's bulk-online: what came before is the snapshot's business, not a missed event.
        var missed = _decidedByUser.GetValueOrDefault(userId, [])
            .Where(e => e.DecidedAt < t - Delivery && e.DecidedAt >= _viewStart.GetValueOrDefault(userId, watcher.RegisteredAt) && !receivedVersions.Contains(e.Version))
            .ToList();
        if (missed.Count > 0)
        {
            return WhyMissed(watcher, missed);
        }

        if (!expectOnline && _dataLoss.Any(f => f.Start <= t && f.End >= LastDeathBefore(userId, t) - ChaosOptions.ConnectionTtl.TotalSeconds - Delivery))
        {
            return DataLossLimit;
        }

        if (expectOnline && _dataLoss.Any(f => f.Start <= t && since.At <= f.End + Recovery))
        {
            return _dataLoss.Any(f => f.Kind == FaultKind.RedisRestartFromSnapshot && f.Start <= t && since.At >= f.Start && since.At <= f.End + Recovery)
                ? SnapshotSweepDefect
                : FalseOfflineBeforeRestoreDefect;
        }

        var from = expectOnline ? since.At : LastDeathBefore(userId, t) - ChaosOptions.ConnectionTtl.TotalSeconds - Delivery;
        return _run.Faults.Any(f => IsStall(f) && f.Start <= t && f.End + Recovery >= from) ? StallDefect : null;
    }

    /// <summary>
    /// An offline decided (by the store's clock, which the version carries: never below the decision time in
    /// microseconds) between a snapshot and the end of the recovery after the restart from it.
    /// </summary>
    private bool IsSnapshotSweep(ReceivedEvent e) => e.Kind == EventKind.Offline
        && _run.Faults.Any(f => f.Kind == FaultKind.RedisRestartFromSnapshot && RunClock.FromVersion(e.Version) >= f.Start && RunClock.FromVersion(e.Version) <= f.End + Recovery);

    private static bool IsStall(FaultWindow fault) => fault.Kind is FaultKind.RedisClientPause or FaultKind.RedisLatency or FaultKind.NodePause;

    /// <summary>
    /// Why a watcher did not receive changes other watchers heard: the most common reason when each has one,
    /// or null when one has none (the backplane lost it: a defect).
    /// </summary>
    private string? WhyMissed(SessionHistory watcher, List<ReceivedEvent> missed)
    {
        var reasons = missed.Select(x => WhyMissed(watcher, x)).ToList();
        return reasons.Any(static r => r is null)
            ? null
            : reasons.GroupBy(static r => r).OrderByDescending(static g => g.Count()).First().Key;
    }

    /// <summary>Why a watcher did not receive one change other watchers heard, or null when nothing explains it.</summary>
    private string? WhyMissed(SessionHistory watcher, ReceivedEvent missed)
    {
        var firstHeard = _firstHeard[(missed.UserId, missed.Version)];
        if (LosesPublications(watcher, RunClock.FromVersion(missed.Version)))
        {
            return LostInFaultLimit;
        }

        if (watcher.IsClosed && firstHeard >= watcher.ClosedAt - Delivery)
        {
            return DelayedPublicationLimit;
        }

        if (firstHeard < watcher.RegisteredAt)
        {
            // Published before this connection was registered: it may not have joined its groups yet, and its
            // bulk-online, which came later, is what its view starts from.
            return BeforeBulkOnlineLimit;
        }

        // Published while the demo's team directory was lost with the data (until the test wrote it back):
        // the resolver named no team, so only the user's subscribers heard it.
        return _run.Faults.Any(f => f.LosesData && firstHeard >= f.Start - Delivery && firstHeard <= f.End + Delivery)
            ? AudienceLostLimit
            : null;
    }

    /// <summary>
    /// Whether a publication at <paramref name="t"/> may be lost for this watcher: Redis restarted
    /// (the backplane's subscriptions drop), or the watcher's own node was frozen or killed. A Redis
    /// pause or added latency delays publications; it does not lose them.
    /// </summary>
    private bool LosesPublications(SessionHistory watcher, double t) => _run.Faults.Any(f =>
        t >= f.Start - Delivery && t <= f.End + Resubscribe
        && (f.RestartsRedis || (f.Kind is FaultKind.NodePause or FaultKind.NodeKill && f.Target == watcher.Node)));

    private double LastDeathBefore(string userId, double t) =>
        _sessionsOf[userId].Select(s => Died(s, double.MaxValue)).Where(d => d <= t).DefaultIfEmpty(double.NegativeInfinity).Max();

    private void CheckConvergence(SessionHistory watcher, List<string> viewedUsers, HashSet<string> online, Dictionary<string, long> known, Dictionary<string, (double At, string Source, bool Stale)> since)
    {
        foreach (var userId in viewedUsers)
        {
            var truth = IsTrulyOnlineAtCheck(userId);
            if (truth == online.Contains(userId))
            {
                continue;
            }

            var limit = Explain(watcher, userId, _run.CheckAt, since[userId], expectOnline: truth);
            Add("convergence after quiescence", limit,
                $"after quiescence session #{watcher.Id} ({watcher.Team}, node {watcher.Node}) shows {userId} {(online.Contains(userId) ? "online" : "offline")} (v{known.GetValueOrDefault(userId)}, from {since[userId].Source} at {since[userId].At:0.000}); the truth is {(truth ? "online" : "offline")}",
                watcher, userId, since[userId].At);
        }
    }

    private bool IsTrulyOnlineAtCheck(string userId) =>
        _sessionsOf[userId].Any(s => !double.IsNaN(s.RegisteredAt) && (!s.IsClosed || s.ClosedAt > _run.CheckAt) && double.IsNaN(s.SilentAt));

    /// <summary>
    /// Checks one stretch of a user's events at a watcher, in version order: from a snapshot (or the start) to
    /// the next snapshot that covers the user. A snapshot is the base: events it already reflects are the
    /// version rule's business (dropped, not judged), and the first later event must follow the snapshot's state.
    /// </summary>
    private void CheckAlternation(SessionHistory watcher, string userId, Baseline? baseline, List<ReceivedEvent> ordered)
    {
        var previousOnline = false;
        ReceivedEvent? previous = null;
        long floorVersion = 0;
        if (baseline is { } b)
        {
            // Listed: the snapshot carries the user's version. Not listed: it reflects every change decided well
            // before it arrived; a change decided just before may still be on its way (a snapshot race).
            var floor = b.Floor
                ?? _decidedByUser.GetValueOrDefault(userId, []).Where(x => x.DecidedAt < b.Snapshot.ArrivedAt - Delivery)
                    .Select(static x => x.Version).DefaultIfEmpty(0).Max();
            ordered = ordered.FindAll(x => x.Version > floor);
            floorVersion = floor;
            previousOnline = b.Online;
        }

        foreach (var current in ordered)
        {
            if (previous is null && baseline is null)
            {
                previous = current;
                previousOnline = current.Kind != EventKind.Offline;
                continue;
            }

            var broken = current.Kind switch
            {
                EventKind.Online => previousOnline,
                EventKind.Offline => !previousOnline,
                _ => !previousOnline,
            };
            var afterSnapshot = previous is null;
            var earlier = previous;
            var before = previous?.ToString() ?? $"{baseline!.Value.Label} @{baseline.Value.Snapshot.ArrivedAt:0.000} {(baseline.Value.Online ? $"showing {userId} online as of v{baseline.Value.Floor}" : $"showing {userId} offline")}";
            var previousDecidedAt = previous?.DecidedAt ?? baseline!.Value.Snapshot.ArrivedAt;
            previous = current;
            previousOnline = current.Kind != EventKind.Offline;
            if (!broken)
            {
                continue;
            }

            string? limit;
            if (afterSnapshot && baseline is { Online: false } && ((current.Kind != EventKind.Online
                && current.DecidedAt < baseline.Value.Snapshot.ArrivedAt) || baseline.Value.Stale))
            {
                // Decided before the snapshot arrived, and it may have been read before that change: the snapshot race.
                limit = SnapshotLimit;
            }
            else if (afterSnapshot && baseline is { Online: false } b2
                && _dataLoss.Any(f => f.Start <= b2.Snapshot.ArrivedAt && b2.Snapshot.ArrivedAt <= f.End + Recovery))
            {
                limit = SettlingSnapshotLimit;
            }
            else
            {
                limit = AlternationLimit(watcher, previousDecidedAt, earlier?.Version ?? floorVersion, earlier, current);
            }

            Add("alternation in version order", limit,
                $"session #{watcher.Id} ({watcher.Team}) received, in version order, {before} then {current}", watcher, userId, current.ArrivedAt);
        }
    }

    /// <summary>Names the documented limit (or open defect) that explains a break between two changes, or null for a new defect.</summary>
    private string? AlternationLimit(SessionHistory watcher, double previousDecidedAt, long previousVersion, ReceivedEvent? previous, ReceivedEvent current)
    {
        var between = _run.Faults.Where(f => f.Start <= current.DecidedAt + Delivery && f.End + Recovery >= previousDecidedAt - Delivery).ToList();

        // The transitions decided between the two, as heard by this watcher (when, if at all).
        var arrivals = watcher.Events.Where(x => x.UserId == current.UserId && x.IsTransitionOrStatus)
            .GroupBy(static x => x.Version).ToDictionary(static g => g.Key, static g => g.Min(static x => x.ArrivedAt));
        var inBetween = _decidedByUser[current.UserId]
            .Where(x => x.Version > previousVersion && x.Version < current.Version && x.Kind != EventKind.Status)
            .ToList();

        // Heard by others, never by this watcher: each needs a reason it could not, or the backplane lost it.
        var missed = inBetween.FindAll(x => !arrivals.ContainsKey(x.Version));
        if (missed.Count > 0)
        {
            return WhyMissed(watcher, missed);
        }

        // It reached this watcher, but after the later one: a publication held up (its node slowed or frozen, or
        // its PUBLISH on a paused master) crossed a newer one, as protocol.md "Ordering" allows; the version rule
        // dropped it, and the view stayed right.
        if (inBetween.Any(x => arrivals[x.Version] > current.ArrivedAt))
        {
            return CrossedLimit;
        }

        if (current.Kind != EventKind.Online && ((previous is not null && IsSnapshotSweep(previous)) || IsSnapshotSweep(current)))
        {
            // An offline decided by a sweep on a snapshot's data, then a status or a second offline (open defect D5).
            return SnapshotSweepDefect;
        }

        if (between.Any(static f => f.LosesData))
        {
            // Online after online: the user left during the outage, or a connect came before a restore (documented).
            // Offline after offline, or a status while offline: a false offline before another node's restore (open defect).
            return current.Kind == EventKind.Online ? DataLossLimit : FalseOfflineBeforeRestoreDefect;
        }

        if (between.Any(f => f.RestartsRedis || (f.Kind == FaultKind.NodePause && f.Target == watcher.Node)))
        {
            return LostInFaultLimit;
        }

        if (between.Any(static f => f.Kind == FaultKind.NodeKill))
        {
            return NodeKillLimit;
        }

        // A node frozen between deciding a change and publishing it publishes it when it resumes, older than
        // what others published meanwhile: the version rule drops it, or it comes after the watcher left.
        if (between.Any(f => f.Kind == FaultKind.NodePause && f.Target != watcher.Node))
        {
            return FrozenNodeLimit;
        }

        return between.Any(IsStall) ? StallDefect : null;
    }

    private void CheckGhostOnlines()
    {
        foreach (var e in _decidedByUser.Values.SelectMany(static l => l).Where(static e => e.Kind == EventKind.Online))
        {
            if (!_open[e.UserId].Contains(e.DecidedAt))
            {
                // A ping the client sent before it closed the connection (in flight at the close, or held up by a stall
                // or a frozen node), from a connection the store had dropped: the server handles it before the close.
                // Only when the store had dropped the connection before (the user's last transition is an offline, or
                // data was lost since), and only before that close was handled: an online after the close's own
                // offline is a heartbeat that reached the store after its disconnect (issue 13 defect 1).
                var decided = _decidedByUser[e.UserId];
                var previous = decided.LastOrDefault(o => o.Version < e.Version && o.Kind != EventKind.Status);
                var dropped = previous is { Kind: EventKind.Offline } || _dataLoss.Any(f => f.Start <= e.DecidedAt && f.Start >= (previous?.DecidedAt ?? double.NegativeInfinity));
                var pingBeforeClose = dropped && _sessionsOf[e.UserId].Any(s => s.IsClosed && s.ClosedAt <= e.DecidedAt
                    && (s.CloseCause == "closed with a ping in flight" || s.PingsFailed > 0)
                    && !decided.Any(o => o.Kind == EventKind.Offline && o.Reason == "disconnected" && o.Version < e.Version
                        && o.DecidedAt >= s.ClosedAt - 0.05 && o.DecidedAt <= s.ClosedAt + CloseSlack)
                    && (e.DecidedAt <= s.ClosedAt + 2
                        || _run.Faults.Any(f => IsStall(f) && f.Start <= s.ClosedAt && s.ClosedAt <= f.End + Recovery && e.DecidedAt <= f.End + Recovery)));
                Add("no resurrection: came online only while a connection of the user is open", pingBeforeClose ? ClosingPingLimit : null,
                    $"{e.UserId} came online (v{e.Version}) at {e.DecidedAt:0.000} with no open connection (first heard by session #{_decided[(e.UserId, e.Version)].SessionId})",
                    null, e.UserId, e.DecidedAt);
            }
        }
    }

    private void CheckStoreSamples()
    {
        foreach (var sample in _run.StoreSamples)
        {
            if (sample.Online && !_allowedOnlineOrFault[sample.UserId].Contains(sample.At))
            {
                var limit = _dataLoss.Any(f => f.Start <= sample.At && f.End >= LastDeathBefore(sample.UserId, sample.At) - ChaosOptions.ConnectionTtl.TotalSeconds) ? DataLossLimit : null;
                Add("store: no ghost", limit, $"node {sample.Node} says {sample.UserId} is online at {sample.At:0.000} with no connection alive within {ExpiryBound:0.#} s", null, sample.UserId, sample.At);
            }
            else if (!sample.Online && _mustBeOnline[sample.UserId].Contains(sample.At) && !_faults.Contains(sample.At))
            {
                Add("store: no false offline", null, $"node {sample.Node} says {sample.UserId} is offline at {sample.At:0.000} while connected", null, sample.UserId, sample.At);
            }
        }
    }

    private void CheckFinalStore()
    {
        foreach (var (userId, online) in _run.FinalStore)
        {
            var truth = IsTrulyOnlineAtCheck(userId);
            if (online != truth)
            {
                Add("convergence after quiescence (store)", null,
                    $"after quiescence the store says {userId} is {(online is null ? "unknown (unavailable)" : online.Value ? "online" : "offline")}; the truth is {(truth ? "online" : "offline")}",
                    null, userId, _run.CheckAt);
            }
        }
    }

    private string TeamOfOrUnknown(string userId) => _run.TeamOf.GetValueOrDefault(userId, "no known team");

    private void Add(string property, string? knownLimit, string summary, SessionHistory? watcher, string userId, double at)
    {
        var excerpt = new StringBuilder();
        if (watcher is not null)
        {
            excerpt.AppendLine($"  watcher: {watcher}");
            foreach (var e in watcher.Events.Where(e => (e.UserId == userId || e.Kind == EventKind.BulkOnline) && Math.Abs(e.ArrivedAt - at) < 20).TakeLast(10))
            {
                excerpt.AppendLine($"    received {e}");
            }
        }

        // The user's connections around the moment, and in any case the last three opened before it (a cause may be older).
        var sessions = _sessionsOf.GetValueOrDefault(userId, []);
        var lastBefore = sessions.Where(s => s.OpenedAt < at).TakeLast(3).ToHashSet();
        foreach (var s in sessions.Where(s => lastBefore.Contains(s) || (s.OpenedAt < at + 5 && (!s.IsClosed || s.ClosedAt > at - 20))))
        {
            excerpt.AppendLine($"  truth: {s}");
        }

        foreach (var e in _decidedByUser.GetValueOrDefault(userId, []).Where(e => Math.Abs(e.DecidedAt - at) < 20).TakeLast(10))
        {
            excerpt.AppendLine($"  decided: {e} (first heard by session #{_decided[(e.UserId, e.Version)].SessionId})");
        }

        foreach (var f in _run.Faults.Where(f => f.End > at - 20 && f.Start < at + 5))
        {
            excerpt.AppendLine($"  fault: {f}");
        }

        _violations.Add(new Violation(property, knownLimit, summary, excerpt.ToString()));
    }
}
