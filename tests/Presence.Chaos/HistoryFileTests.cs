using System.IO.Compression;
using System.Text.RegularExpressions;
using Presence.Chaos.Checking;
using Presence.Chaos.History;
using Presence.Chaos.Scenario;
using Xunit;

namespace Presence.Chaos;

/// <summary>A saved history (<see cref="HistoryFile"/>) reads back as the run it was: the checker says the same of both.</summary>
public sealed partial class HistoryFileTests : IDisposable
{
    /// <summary>A run recorded yesterday: its versions only make sense on its own time line.</summary>
    private static readonly DateTimeOffset RecordedStart = RunClock.StartUtc.AddDays(-1);

    private readonly string _folder = Directory.CreateTempSubdirectory("chaos-history-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_saved_run_is_checked_again_to_the_same_report()
    {
        var run = HandMadeRun();
        var loaded = await SaveAndLoadAsync(run, "run.json.gz");

        var before = RunClock.WithStart(run.StartUtc, () => new HistoryChecker(run).Check());
        var after = RunClock.WithStart(loaded.StartUtc, () => new HistoryChecker(loaded).Check());
        Assert.NotEmpty(before.Violations);
        Assert.Equal(WithoutClock(before.ToString(0)), WithoutClock(after.ToString(0)));
        Assert.Equal(WithoutClock(before.ToString()), WithoutClock(after.ToString()));
        // The snapshot restart explains the sweep's offline only on the run's own time line (its versions are yesterday's).
        Assert.Contains(after.OpenDefects, static v => v.KnownLimit!.Contains(" D5 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_field_the_checker_reads_round_trips_and_NaN_stays_NaN()
    {
        var run = HandMadeRun();
        var loaded = await SaveAndLoadAsync(run, "run.json.gz");

        Assert.Equal(RecordedStart, loaded.StartUtc);
        Assert.Equal(run.Options.ToString(), loaded.Options.ToString());
        Assert.Equal((run.Options.Nodes, run.Options.Cluster, run.Options.ClusterMasters), (loaded.Options.Nodes, loaded.Options.Cluster, loaded.Options.ClusterMasters));
        Assert.Equal((run.QuiescenceStart, run.CheckAt, run.Elapsed), (loaded.QuiescenceStart, loaded.CheckAt, loaded.Elapsed));
        Assert.Equal(run.TeamOf, loaded.TeamOf);
        Assert.Equal(run.FinalStore, loaded.FinalStore);
        Assert.Null(loaded.FinalStore["dave"]);
        Assert.Equal(run.Faults, loaded.Faults);
        Assert.Equal(run.StoreSamples, loaded.StoreSamples);
        Assert.Equal(run.Sessions.Count, loaded.Sessions.Count);
        foreach (var (expected, actual) in run.Sessions.Zip(loaded.Sessions))
        {
            Assert.Equal(expected.ToString(), actual.ToString());
            Assert.Equal(
                (expected.Id, expected.LastPingSentAt, expected.StatusesSet, expected.Subscribes, expected.Unsubscribes, expected.SilentAt),
                (actual.Id, actual.LastPingSentAt, actual.StatusesSet, actual.Subscribes, actual.Unsubscribes, actual.SilentAt));
            Assert.Equal(expected.Events.Count, actual.Events.Count);
            foreach (var (e, a) in expected.Events.Zip(actual.Events))
            {
                Assert.Equal((e.Kind, e.UserId, e.Version, e.Status, e.Reason, e.ArrivedAt, e.DecidedAt), (a.Kind, a.UserId, a.Version, a.Status, a.Reason, a.ArrivedAt, a.DecidedAt));
                Assert.Equal(e.Users, a.Users);
                Assert.Equal(e.Scope, a.Scope);
                Assert.Equal(e.Versions, a.Versions);
            }
        }

        var dave = loaded.Sessions.Single(static s => s.UserId == "dave");
        Assert.True(double.IsNaN(dave.RegisteredAt) && double.IsNaN(dave.LastPingAckAt) && double.IsNaN(dave.SilentAt));
        Assert.True(double.IsNaN(loaded.Sessions.Single(static s => s.UserId == "bob").ClosedAt));
        Assert.All(loaded.Sessions.SelectMany(static s => s.Events).Where(static e => !e.IsTransitionOrStatus), static e => Assert.True(double.IsNaN(e.DecidedAt)));
        Assert.Equal(Enum.GetValues<EventKind>(), loaded.Sessions.SelectMany(static s => s.Events).Select(static e => e.Kind).Distinct().Order());

        // Saved again, the loaded run gives the same bytes: nothing was lost or added on the way; and each event is there once.
        await HistoryFile.SaveAsync(loaded, Path.Combine(_folder, "again.json.gz"));
        var json = await JsonTextAsync("run.json.gz");
        Assert.Equal(json, await JsonTextAsync("again.json.gz"));
        Assert.Equal(run.Sessions.Sum(static s => s.Events.Count) + run.Faults.Count, json.Split("{\"k\":").Length - 1);
    }

    [Fact]
    public async Task A_file_that_is_not_a_saved_history_is_refused()
    {
        var path = Path.Combine(_folder, "other.json.gz");
        await using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest))
        {
            await gzip.WriteAsync("""{"format":"something-else","options":{}}"""u8.ToArray());
        }

        await Assert.ThrowsAsync<InvalidDataException>(() => HistoryFile.LoadAsync(path));
    }

    [Fact]
    public void The_report_prints_as_many_cases_per_group_as_asked()
    {
        Assert.Equal((3, 0, 0, 7), (CheckReport.ParseExamples(null), CheckReport.ParseExamples("all"), CheckReport.ParseExamples(" 0 "), CheckReport.ParseExamples("7")));
        Assert.Throws<ArgumentException>(static () => CheckReport.ParseExamples("many"));

        var run = HandMadeRun();
        var report = RunClock.WithStart(run.StartUtc, () => new HistoryChecker(run).Check());
        var groups = report.Violations.GroupBy(static v => (v.Property, v.KnownLimit)).ToList();
        Assert.Equal(report.Violations.Count, Cases(report.ToString(0)));
        Assert.Equal(groups.Sum(static g => Math.Min(g.Count(), g.Key.KnownLimit is null ? CheckReport.DefectExamples : 1)), Cases(report.ToString(1)));
    }

    private static int Cases(string report) => report.Split('\n').Count(static line => line.StartsWith("--- ", StringComparison.Ordinal));

    private static string WithoutClock(string report) => ReportClock().Replace(report, "<now> UTC");

    [GeneratedRegex(@"\d{4}-\d\d-\d\d \d\d:\d\d UTC")]
    private static partial Regex ReportClock();

    private async Task<ChaosRun> SaveAndLoadAsync(ChaosRun run, string name)
    {
        var path = Path.Combine(_folder, name);
        await HistoryFile.SaveAsync(run, path);
        Assert.False(File.Exists(path + ".tmp"));
        return await HistoryFile.LoadAsync(path);
    }

    private async Task<string> JsonTextAsync(string name)
    {
        await using var gzip = new GZipStream(File.OpenRead(Path.Combine(_folder, name)), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        return await reader.ReadToEndAsync();
    }

    /// <summary>A store version decided at <paramref name="runSeconds"/> on the recorded run's time line.</summary>
    private static long At(double runSeconds) => (long)((RecordedStart.ToUnixTimeMilliseconds() / 1000.0 + runSeconds) * 1_000_000);

    /// <summary>
    /// Every event kind, NaN where nothing happened, two faults, a store sample and a user the store did not
    /// answer for; bob watches the others, alice's sweep just after a snapshot restart is the open defect D5.
    /// </summary>
    private static ChaosRun HandMadeRun()
    {
        SessionHistory Connection(int id, string user, string team, double registeredAt) => new()
        {
            Id = id, UserId = user, Team = team, Node = "A", OpenedAt = registeredAt - 0.1, RegisteredAt = registeredAt,
            LastPingSentAt = 28.9, LastPingAckAt = 29, PingsOk = 14, PingsFailed = 1,
        };

        var (alice, bob, carol, erin) = (Connection(1, "alice", "red", 1), Connection(2, "bob", "red", 0.5), Connection(3, "carol", "blue", 1), Connection(4, "erin", "red", 3));
        bob.StatusesSet = 1;
        (bob.Subscribes, bob.Unsubscribes) = (1, 1);
        (carol.ClosedAt, carol.CloseCause, carol.LastPingAckAt) = (20, "closed", 19);
        var dave = new SessionHistory
        {
            Id = 5, UserId = "dave", Team = "red", Node = "B", OpenedAt = 0.3, ClosedAt = 0.4, CloseCause = "lost (server refused)",
        };

        var snapshot = (Users: (IReadOnlyList<string>)["alice", "bob"], Versions: new Dictionary<string, long> { ["alice"] = At(0.9), ["bob"] = At(0.4) });
        bob.Record(new ReceivedEvent { Kind = EventKind.BulkOnline, UserId = string.Empty, ArrivedAt = 1.1, Users = snapshot.Users, Versions = snapshot.Versions });
        bob.Record(new ReceivedEvent { Kind = EventKind.SubscribeSent, UserId = string.Empty, ArrivedAt = 2, Scope = ["carol"] });
        bob.Record(new ReceivedEvent
        {
            Kind = EventKind.SubscribeReply, UserId = string.Empty, ArrivedAt = 2.1, Scope = ["carol"], Users = ["carol"], Versions = new Dictionary<string, long> { ["carol"] = At(0.9) },
        });
        bob.Record(new ReceivedEvent { Kind = EventKind.Online, UserId = "erin", Version = At(2.95), DecidedAt = 2.95, ArrivedAt = 3.01 });
        bob.Record(new ReceivedEvent { Kind = EventKind.Offline, UserId = "alice", Version = At(14.5), Reason = "expired", DecidedAt = 14.5, ArrivedAt = 14.51 });
        bob.Record(new ReceivedEvent { Kind = EventKind.Status, UserId = "alice", Version = At(16), Status = "busy", DecidedAt = 16, ArrivedAt = 16.01 });
        var carolOffline = 20 + ChaosOptions.OfflineGracePeriod.TotalSeconds + 0.01;
        bob.Record(new ReceivedEvent { Kind = EventKind.Offline, UserId = "carol", Version = At(carolOffline), Reason = "disconnected", DecidedAt = carolOffline, ArrivedAt = carolOffline + 0.01 });
        bob.Record(new ReceivedEvent { Kind = EventKind.Unsubscribed, UserId = string.Empty, ArrivedAt = 23, Scope = ["carol"] });

        SessionHistory[] sessions = [alice, bob, carol, erin, dave];
        return new ChaosRun
        {
            Options = new ChaosOptions { Seed = 42, Duration = TimeSpan.FromSeconds(18.5), Users = 5, Teams = 2, Nodes = 2, Cluster = true, ClusterMasters = 3 },
            Sessions = sessions,
            Faults = [new FaultWindow(FaultKind.NodeKill, "B", 5, 5.25), new FaultWindow(FaultKind.RedisRestartFromSnapshot, "redis", 10, 14)],
            StoreSamples = [new StoreSample("alice", true, 8.125, "A"), new StoreSample("carol", false, 25, "B")],
            TeamOf = sessions.ToDictionary(static s => s.UserId, static s => s.Team, StringComparer.Ordinal),
            QuiescenceStart = 18,
            CheckAt = 30,
            FinalStore = new Dictionary<string, bool?>(StringComparer.Ordinal) { ["alice"] = true, ["bob"] = true, ["carol"] = false, ["erin"] = true, ["dave"] = null },
            Elapsed = TimeSpan.FromSeconds(31.5),
            StartUtc = RecordedStart,
        };
    }
}
