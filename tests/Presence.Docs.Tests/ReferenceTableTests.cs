using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Presence.Redis;
using Presence.SignalR;

namespace Presence.Docs.Tests;

/// <summary>
/// The reference tables in docs/ list what the code has: every [LoggerMessage] event id (with its
/// name and level) in observability.md, every public option in configuration.md. A new log line or
/// option without its row fails here.
/// </summary>
public sealed partial class ReferenceTableTests
{
    private static readonly Assembly[] s_libraries =
    [
        typeof(PresenceOptions).Assembly,
        typeof(RedisPresenceStoreOptions).Assembly,
        typeof(PresenceSignalROptions).Assembly,
        Assembly.Load("Presence.SignalR.Redis"),
    ];

    public static TheoryData<string, int, string, string> LoggedEvents()
    {
        var data = new TheoryData<string, int, string, string>();
        foreach (var assembly in s_libraries)
        {
            foreach (var method in assembly.GetTypes().SelectMany(static t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)))
            {
                if (method.GetCustomAttribute<LoggerMessageAttribute>() is { } log)
                {
                    data.Add(assembly.GetName().Name!, log.EventId, log.EventName ?? method.Name, log.Level.ToString());
                }
            }
        }

        return data;
    }

    public static TheoryData<string, string> Options()
    {
        var data = new TheoryData<string, string>();
        foreach (var type in new[] { typeof(PresenceOptions), typeof(PresenceSignalROptions), typeof(RedisPresenceStoreOptions) })
        {
            foreach (var property in type.GetProperties(BindingFlags.Instance | BindingFlags.Public).Where(static p => p.CanWrite))
            {
                data.Add(type.Name, property.Name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(LoggedEvents))]
    public void EveryLoggedEvent_HasItsRowInObservability(string assembly, int eventId, string eventName, string level)
    {
        var table = Doc("observability.md");
        var row = table.Split('\n').FirstOrDefault(l => l.StartsWith($"| {eventId} |", StringComparison.Ordinal));

        Assert.True(row is not null, $"docs/observability.md has no row for event {eventId} ({eventName}, {assembly}).");
        Assert.Contains($"| {eventName} |", row, StringComparison.Ordinal);
        Assert.Contains($"| {level} |", row, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryEventRow_IsLoggedByTheCode()
    {
        var logged = LoggedEvents().Select(static row => (int)row[1]).ToHashSet();
        var documented = EventRow().Matches(Doc("observability.md")).Select(static m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));

        Assert.DoesNotContain(documented, id => !logged.Contains(id));
    }

    [Theory]
    [MemberData(nameof(Options))]
    public void EveryOption_IsInTheConfigurationReference(string type, string option)
    {
        var reference = Doc("configuration.md");

        Assert.True(reference.Contains($"`{option}`", StringComparison.Ordinal), $"docs/configuration.md does not mention {type}.{option}.");
    }

    private static string Doc(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "docs", name);
            if (File.Exists(path) && File.Exists(Path.Combine(dir.FullName, "Presence.sln")))
            {
                return File.ReadAllText(path);
            }
        }

        throw new InvalidOperationException($"docs/{name} not found above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"^\| (\d{4}) \|", RegexOptions.Multiline)]
    private static partial Regex EventRow();
}
