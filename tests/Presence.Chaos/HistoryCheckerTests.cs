using Presence.Chaos.Checking;
using Presence.Chaos.History;
using Presence.Chaos.Scenario;
using Xunit;

namespace Presence.Chaos;

/// <summary>The checker itself, on hand-made histories: a clean one passes, and each broken property is caught.</summary>
public sealed class HistoryCheckerTests
{
    private const long V = 1_796_000_000_000_000;
    private static readonly double Grace = ChaosOptions.OfflineGracePeriod.TotalSeconds;

    [Fact]
    public void A_clean_history_has_no_violations()
    {
        var (alice, bob) = (Session(1, "alice", "red", 1, closedAt: 20), Session(2, "bob", "red", 2));
        Bulk(bob, 2.1, ("alice", V + 1), ("bob", V + 2));
        Offline(bob, "alice", V + 3, decidedAt: 20 + Grace + 0.01);
        bob.LastPingAckAt = 29;

        Assert.Empty(Check([alice, bob], checkAt: 30).Violations);
    }

    [Fact]
    public void An_offline_that_ignores_the_grace_period_is_caught()
    {
        var (alice, bob) = (Session(1, "alice", "red", 1, closedAt: 20), Session(2, "bob", "red", 2));
        Bulk(bob, 2.1, ("alice", V + 1), ("bob", V + 2));
        Offline(bob, "alice", V + 3, decidedAt: 20.01);

        Assert.Contains(Check([alice, bob], checkAt: 30).Defects, v => v.Property.StartsWith("no false offline", StringComparison.Ordinal));
    }

    [Fact]
    public void A_subscriber_hears_the_users_it_subscribed_to_and_its_view_of_them_is_judged()
    {
        var (carol, bob) = (Session(1, "carol", "blue", 1, closedAt: 20), Session(2, "bob", "red", 2));
        Bulk(bob, 2.1, ("bob", V + 2));
        Subscribe(bob, 3, ["carol"], 3.1, ("carol", V + 1));
        Offline(bob, "carol", V + 3, decidedAt: 20 + Grace + 0.01);

        Assert.Empty(Check([carol, bob], checkAt: 30).Violations);
    }

    [Fact]
    public void A_subscriber_that_misses_the_offline_of_a_subscribed_user_is_caught()
    {
        var (carol, bob) = (Session(1, "carol", "blue", 1, closedAt: 5), Session(2, "bob", "red", 2));
        Bulk(bob, 2.1, ("bob", V + 2));
        Subscribe(bob, 3, ["carol"], 3.1, ("carol", V + 1));

        var defects = Check([carol, bob], checkAt: 30).Defects;
        Assert.Contains(defects, v => v.Property.StartsWith("no ghost", StringComparison.Ordinal));
        Assert.Contains(defects, v => v.Property == "convergence after quiescence");
    }

    [Fact]
    public void An_event_about_a_user_after_unsubscribing_is_caught()
    {
        var (carol, bob) = (Session(1, "carol", "blue", 1, closedAt: 20), Session(2, "bob", "red", 2));
        Bulk(bob, 2.1, ("bob", V + 2));
        Subscribe(bob, 3, ["carol"], 3.1, ("carol", V + 1));
        bob.Record(new ReceivedEvent { Kind = EventKind.Unsubscribed, UserId = string.Empty, ArrivedAt = 10, Scope = ["carol"] });
        Offline(bob, "carol", V + 3, decidedAt: 20 + Grace + 0.01);

        Assert.Contains(Check([carol, bob], checkAt: 30).Defects, v => v.Property == "entitlement");
    }

    [Fact]
    public void The_same_event_twice_to_a_connection_both_in_the_audience_and_subscribed_is_caught()
    {
        var (alice, bob) = (Session(1, "alice", "red", 1, closedAt: 20), Session(2, "bob", "red", 2));
        Bulk(bob, 2.1, ("alice", V + 1), ("bob", V + 2));
        Subscribe(bob, 3, ["alice"], 3.1, ("alice", V + 1));
        Offline(bob, "alice", V + 3, decidedAt: 20 + Grace + 0.01);
        Offline(bob, "alice", V + 3, decidedAt: 20 + Grace + 0.01);

        Assert.Contains(Check([alice, bob], checkAt: 30).Defects, v => v.Property == "at most once per connection");
    }

    [Fact]
    public void An_event_about_another_team_is_caught()
    {
        var (carol, bob) = (Session(1, "carol", "blue", 1), Session(2, "bob", "red", 2));
        Bulk(bob, 2.1, ("bob", V + 2));
        Online(bob, "carol", V + 1, decidedAt: 2.2);

        Assert.Contains(Check([carol, bob], checkAt: 30).Defects, v => v.Property == "entitlement");
    }

    [Fact]
    public void Online_after_online_with_no_fault_between_is_caught()
    {
        var (alice, bob) = (Session(1, "alice", "red", 1, closedAt: 5), Session(2, "bob", "red", 0.5));
        var again = Session(3, "alice", "red", 8);
        Bulk(bob, 0.6, ("bob", V));
        Online(bob, "alice", V + 1, decidedAt: 1.01);
        Online(bob, "alice", V + 3, decidedAt: 8.01);

        Assert.Contains(Check([alice, bob, again], checkAt: 30).Defects, v => v.Property == "alternation in version order");
    }

    [Fact]
    public void A_user_shown_online_long_after_its_last_connection_closed_is_caught()
    {
        var (alice, bob) = (Session(1, "alice", "red", 1, closedAt: 3), Session(2, "bob", "red", 0.5));
        Bulk(bob, 0.6, ("bob", V));
        Online(bob, "alice", V + 1, decidedAt: 1.01);

        var defects = Check([alice, bob], checkAt: 30).Defects;
        Assert.Contains(defects, v => v.Property.StartsWith("no ghost", StringComparison.Ordinal));
        Assert.Contains(defects, v => v.Property == "convergence after quiescence");
    }

    [Fact]
    public void A_connected_user_shown_offline_is_caught()
    {
        var (alice, bob) = (Session(1, "alice", "red", 1), Session(2, "bob", "red", 0.5));
        Bulk(bob, 0.6, ("bob", V));

        var defects = Check([alice, bob], checkAt: 30).Defects;
        Assert.Contains(defects, v => v.Property.StartsWith("no false offline", StringComparison.Ordinal));
        Assert.Contains(defects, v => v.Property == "convergence after quiescence");
    }

    [Fact]
    public void A_coming_online_after_the_disconnect_with_no_open_connection_is_caught()
    {
        var (alice, bob) = (Session(1, "alice", "red", 1, closedAt: 5), Session(2, "bob", "red", 0.5));
        Bulk(bob, 0.6, ("bob", V));
        Online(bob, "alice", V + 1, decidedAt: 1.01);
        Offline(bob, "alice", V + 2, decidedAt: 5.01);
        Online(bob, "alice", V + 3, decidedAt: 15.6);
        Offline(bob, "alice", V + 4, decidedAt: 21.6, reason: "expired");

        Assert.Contains(Check([alice, bob], checkAt: 40).Defects, v => v.Property.StartsWith("no resurrection", StringComparison.Ordinal));
    }

    [Fact]
    public void A_ping_that_comes_online_after_its_own_close_was_handled_is_a_defect()
    {
        // Alice's close was handled (her offline carries the close's moment); a heartbeat of hers registering her
        // again after that is issue 13 defect 1, ping in flight or not.
        var (alice, bob) = (Session(1, "alice", "red", 1, closedAt: 5), Session(2, "bob", "red", 0.5));
        alice.CloseCause = "closed with a ping in flight";
        Bulk(bob, 0.6, ("bob", V));
        Online(bob, "alice", V + 1, decidedAt: 1.01);
        Offline(bob, "alice", V + 2, decidedAt: 5.01);
        Online(bob, "alice", V + 3, decidedAt: 5.6);
        Offline(bob, "alice", V + 4, decidedAt: 11.6, reason: "expired");

        Assert.Contains(Check([alice, bob], checkAt: 30).Defects, v => v.Property.StartsWith("no resurrection", StringComparison.Ordinal));
    }

    [Fact]
    public void An_offline_swept_from_a_snapshot_before_the_restore_is_the_open_defect_D5_and_a_defect_without_the_snapshot()
    {
        static (SessionHistory Alice, SessionHistory Bob) Histories()
        {
            var (alice, bob) = (Session(1, "alice", "red", 1), Session(2, "bob", "red", 0.5));
            alice.LastPingAckAt = 29;
            bob.LastPingAckAt = 29;
            Bulk(bob, 1.1, ("alice", V + 1), ("bob", V));
            // Decided by a sweep at 14.5 s (the version carries the store's clock), just after the restart from the snapshot.
            Offline(bob, "alice", VersionAt(14.5), decidedAt: 14.5, reason: "expired");
            bob.Record(new ReceivedEvent { Kind = EventKind.Status, UserId = "alice", Version = VersionAt(16), Status = "busy", DecidedAt = 16, ArrivedAt = 16.01 });
            return (alice, bob);
        }

        var (alice, bob) = Histories();
        var snapshot = new FaultWindow(FaultKind.RedisRestartFromSnapshot, "redis", 10, 14);
        var report = Check([alice, bob], checkAt: 30, snapshot);
        Assert.Empty(report.Defects);
        Assert.Contains(report.OpenDefects, v => v.Property == "alternation in version order" && v.KnownLimit!.Contains(" D5 ", StringComparison.Ordinal));
        // The status shows alice online again, as a client shows her (a status is sent only while online).
        Assert.DoesNotContain(report.Violations, v => v.Property == "convergence after quiescence");

        (alice, bob) = Histories();
        Assert.Contains(Check([alice, bob], checkAt: 30).Defects, v => v.Property == "alternation in version order");
    }

    [Fact]
    public void A_closing_ping_that_registers_a_connection_lost_in_a_data_loss_is_a_documented_limit_and_a_defect_without_it()
    {
        static (SessionHistory Alice, SessionHistory Bob) Histories()
        {
            var alice = Session(1, "alice", "red", 1, closedAt: 12);
            alice.CloseCause = "closed with a ping in flight";
            var bob = Session(2, "bob", "red", 0.5);
            bob.LastPingAckAt = 29;
            Bulk(bob, 1.1, ("alice", V + 1), ("bob", V));
            // The store lost alice's connection at 8 s (not announced, as documented); her closing ping registers it again.
            Online(bob, "alice", V + 2, decidedAt: 12.6);
            Offline(bob, "alice", V + 3, decidedAt: 12.7);
            return (alice, bob);
        }

        var (alice, bob) = Histories();
        var report = Check([alice, bob], checkAt: 30, new FaultWindow(FaultKind.RedisFlushAll, "redis", 8, 8.05));
        Assert.DoesNotContain(report.Defects, v => v.Property.StartsWith("no resurrection", StringComparison.Ordinal));
        Assert.Contains(report.Violations, v => v.KnownLimit?.Contains("a ping sent just before a tab closed", StringComparison.Ordinal) == true);

        (alice, bob) = Histories();
        Assert.Contains(Check([alice, bob], checkAt: 30).Defects, v => v.Property.StartsWith("no resurrection", StringComparison.Ordinal));
    }

    [Fact]
    public void An_event_older_than_the_snapshot_that_lists_the_user_is_not_judged_against_it()
    {
        // A new watcher's bulk-online lists alice with v5; the offline v3 (decided before the read) arrives after it.
        var (alice, bob) = (Session(1, "alice", "red", 1, closedAt: 20), Session(2, "bob", "red", 4));
        var earlier = Session(3, "alice", "red", 0.2, closedAt: 2.5);
        bob.Record(new ReceivedEvent { Kind = EventKind.Offline, UserId = "alice", Version = V + 3, Reason = "disconnected", DecidedAt = 3.9, ArrivedAt = 4.2 });
        Bulk(bob, 4.1, ("alice", V + 5), ("bob", V + 6));
        Offline(bob, "alice", V + 7, decidedAt: 20 + Grace + 0.01);
        bob.LastPingAckAt = 29;

        Assert.DoesNotContain(Check([earlier, alice, bob], checkAt: 30).Violations, v => v.Property == "alternation in version order");
    }

    [Fact]
    public void An_online_after_a_snapshot_that_lists_the_user_online_is_caught()
    {
        var (alice, bob) = (Session(1, "alice", "red", 1), Session(2, "bob", "red", 2));
        Bulk(bob, 2.1, ("alice", V + 5), ("bob", V + 6));
        Online(bob, "alice", V + 7, decidedAt: 6);
        bob.LastPingAckAt = 29;

        Assert.Contains(Check([alice, bob], checkAt: 30).Defects, v => v.Property == "alternation in version order");
    }

    [Fact]
    public void A_second_bulk_online_rebases_the_view_and_the_events_after_it_are_judged_from_it()
    {
        // Bob missed alice's online (v4); a later bulk-online (a server resync) lists her; her status after it is fine.
        var (alice, bob) = (Session(1, "alice", "red", 3), Session(2, "bob", "red", 1));
        Bulk(bob, 1.1, ("bob", V + 1));
        Bulk(bob, 4.5, ("alice", V + 4), ("bob", V + 1));
        bob.Record(new ReceivedEvent { Kind = EventKind.Status, UserId = "alice", Version = V + 5, Status = "busy", DecidedAt = 6, ArrivedAt = 6.01 });
        bob.LastPingAckAt = 29;

        Assert.DoesNotContain(Check([alice, bob], checkAt: 30).Violations, v => v.Property == "alternation in version order");
    }

    [Fact]
    public void A_change_others_heard_that_one_watcher_missed_is_a_defect_unless_a_fault_kept_it_from_that_watcher()
    {
        static SessionHistory[] Histories()
        {
            var alice = Session(1, "alice", "red", 1, closedAt: 10);
            var aliceAgain = Session(4, "alice", "red", 15);
            var (bob, dave) = (Session(2, "bob", "red", 0.5), Session(3, "dave", "red", 0.5));
            foreach (var watcher in new[] { aliceAgain, bob, dave })
            {
                watcher.LastPingAckAt = 29;
            }

            var offlineAt = 10 + Grace + 0.01;
            foreach (var watcher in new[] { bob, dave })
            {
                Bulk(watcher, 1.1, ("alice", VersionAt(1)), ("bob", VersionAt(0.5)), ("dave", VersionAt(0.5)));
            }

            // Bob hears alice leave and come back; dave hears only the return.
            Offline(bob, "alice", VersionAt(offlineAt), decidedAt: offlineAt);
            Online(bob, "alice", VersionAt(15), decidedAt: 15);
            Online(dave, "alice", VersionAt(15), decidedAt: 15);
            return [alice, aliceAgain, bob, dave];
        }

        // An empty restart 5 s before: once its reconnect is over, the backplane must deliver to everyone.
        var report = Check(Histories(), checkAt: 30, new FaultWindow(FaultKind.RedisRestartEmpty, "redis", 5, 6));
        Assert.Contains(report.Defects, v => v.Property == "alternation in version order" && v.Summary.Contains("session #3 (", StringComparison.Ordinal));

        // Published while Redis restarted under the backplane: lost at most once, documented.
        report = Check(Histories(), checkAt: 30, new FaultWindow(FaultKind.RedisRestartEmpty, "redis", 11, 11.3));
        Assert.Empty(report.Defects);
        Assert.Contains(report.Violations, v => v.Summary.Contains("session #3 (", StringComparison.Ordinal) && v.KnownLimit!.StartsWith("at-most-once backplane", StringComparison.Ordinal));

        // Published while the demo's team directory was lost with a FLUSHALL: no team audience, documented.
        report = Check(Histories(), checkAt: 30, new FaultWindow(FaultKind.RedisFlushAll, "redis", 11.4, 11.6));
        Assert.Empty(report.Defects);
        Assert.Contains(report.Violations, v => v.Summary.Contains("session #3 (", StringComparison.Ordinal) && v.KnownLimit!.Contains("team directory", StringComparison.Ordinal));
    }

    [Fact]
    public void An_offline_that_arrives_after_the_newer_online_is_the_documented_crossing_and_missing_it_is_a_defect()
    {
        static (SessionHistory[] Sessions, SessionHistory Bob) Histories(bool offlineArrives)
        {
            var alice = Session(1, "alice", "red", 1, closedAt: 10);
            var aliceAgain = Session(3, "alice", "red", 15);
            var bob = Session(2, "bob", "red", 0.5);
            aliceAgain.LastPingAckAt = 29;
            bob.LastPingAckAt = 29;
            Bulk(bob, 1.1, ("alice", VersionAt(1)), ("bob", VersionAt(0.5)));
            Online(bob, "alice", VersionAt(15), decidedAt: 15);
            Bulk(bob, 15.2, ("alice", VersionAt(15)), ("bob", VersionAt(0.5)));
            if (offlineArrives)
            {
                // Decided at 11.5, held up by a stall, delivered after the newer online and a newer snapshot.
                bob.Record(new ReceivedEvent
                {
                    Kind = EventKind.Offline, UserId = "alice", Version = VersionAt(11.5), Reason = "disconnected", DecidedAt = 11.5, ArrivedAt = 15.5,
                });
            }

            return ([alice, aliceAgain, bob], bob);
        }

        var stall = new FaultWindow(FaultKind.RedisClientPause, "redis", 11, 15.2);
        var (sessions, _) = Histories(offlineArrives: true);
        var report = Check(sessions, checkAt: 30, stall);
        Assert.Empty(report.Defects);
        Assert.Empty(report.OpenDefects);
        Assert.Contains(report.Violations, v => v.KnownLimit!.Contains("can cross", StringComparison.Ordinal));

        // Nobody heard the offline at all: online after online near a stall stays the open defect D3.
        (sessions, _) = Histories(offlineArrives: false);
        report = Check(sessions, checkAt: 30, stall);
        Assert.DoesNotContain(report.Violations, v => v.KnownLimit?.Contains("can cross", StringComparison.Ordinal) == true);
        Assert.Contains(report.OpenDefects, v => v.Property == "alternation in version order" && v.KnownLimit!.Contains(" D3 ", StringComparison.Ordinal));
    }

    private static long VersionAt(double runSeconds) => (long)((RunClock.StartUtc.ToUnixTimeMilliseconds() / 1000.0 + runSeconds) * 1_000_000);

    private static SessionHistory Session(int id, string userId, string team, double registeredAt, double closedAt = double.NaN) => new()
    {
        Id = id,
        UserId = userId,
        Team = team,
        Node = "A",
        OpenedAt = registeredAt - 0.1,
        RegisteredAt = registeredAt,
        ClosedAt = closedAt,
        CloseCause = double.IsNaN(closedAt) ? null : "closed",
        LastPingAckAt = double.NaN,
    };

    private static void Bulk(SessionHistory watcher, double at, params (string UserId, long Version)[] users) => watcher.Record(new ReceivedEvent
    {
        Kind = EventKind.BulkOnline,
        UserId = string.Empty,
        ArrivedAt = at,
        Users = [.. users.Select(static u => u.UserId)],
        Versions = users.ToDictionary(static u => u.UserId, static u => u.Version),
    });

    private static void Subscribe(SessionHistory watcher, double sentAt, string[] userIds, double repliedAt, params (string UserId, long Version)[] online)
    {
        watcher.Record(new ReceivedEvent { Kind = EventKind.SubscribeSent, UserId = string.Empty, ArrivedAt = sentAt, Scope = userIds });
        watcher.Record(new ReceivedEvent
        {
            Kind = EventKind.SubscribeReply,
            UserId = string.Empty,
            ArrivedAt = repliedAt,
            Scope = userIds,
            Users = [.. online.Select(static u => u.UserId)],
            Versions = online.ToDictionary(static u => u.UserId, static u => u.Version),
        });
    }

    private static void Online(SessionHistory watcher, string userId, long version, double decidedAt) => watcher.Record(new ReceivedEvent
    {
        Kind = EventKind.Online, UserId = userId, Version = version, DecidedAt = decidedAt, ArrivedAt = decidedAt + 0.01,
    });

    private static void Offline(SessionHistory watcher, string userId, long version, double decidedAt, string reason = "disconnected") => watcher.Record(new ReceivedEvent
    {
        Kind = EventKind.Offline, UserId = userId, Version = version, Reason = reason, DecidedAt = decidedAt, ArrivedAt = decidedAt + 0.01,
    });

    private static CheckReport Check(SessionHistory[] sessions, double checkAt, params FaultWindow[] faults)
    {
        var teams = sessions.GroupBy(static s => s.UserId).ToDictionary(static g => g.Key, static g => g.First().Team, StringComparer.Ordinal);
        var run = new ChaosRun
        {
            Options = new ChaosOptions { Seed = 1, Duration = TimeSpan.FromSeconds(20), Users = teams.Count, Teams = 1 },
            Sessions = sessions,
            Faults = faults,
            StoreSamples = [],
            TeamOf = teams,
            QuiescenceStart = checkAt - 12,
            CheckAt = checkAt,
            FinalStore = teams.Keys.ToDictionary(u => u, u => (bool?)sessions.Any(s => s.UserId == u && !s.IsClosed), StringComparer.Ordinal),
            Elapsed = TimeSpan.FromSeconds(checkAt),
        };
        return new HistoryChecker(run).Check();
    }
}
