using System.Collections;
using System.IO.Compression;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Presence.Chaos.Scenario;

namespace Presence.Chaos.History;

/// <summary>
/// A run's histories on disk, so that a later checker can judge an old run again without running it
/// (<c>PRESENCE_CHAOS_HISTORY</c>, <see cref="ChaosTests"/>). The file is gzip-compressed UTF-8 JSON written by
/// System.Text.Json straight from the runtime types: one <see cref="ChaosRun"/> object, <c>format</c>
/// (<see cref="Format"/>) first and <c>sessions</c> last, camel-case names except the short ones of
/// <see cref="ShortNames"/> (sessions, their events <c>e</c>, faults, store samples). Every settable property is
/// written, so a field added to those types is saved without a change here; <c>NaN</c> ("not (yet)") is written
/// <c>"NaN"</c>, and a null, an empty list or an integer 0 is left out where a new instance has the same.
/// </summary>
internal static class HistoryFile
{
    /// <summary>What a saved history says in its <c>format</c> field; a reader refuses any other.</summary>
    public const string Format = "presence-chaos-history 1";

    /// <summary>The names of the many small objects, by type and property (the others are camel-cased).</summary>
    private static readonly Dictionary<Type, Dictionary<string, string>> ShortNames = new()
    {
        [typeof(SessionHistory)] = new()
        {
            [nameof(SessionHistory.Id)] = "i", [nameof(SessionHistory.UserId)] = "u", [nameof(SessionHistory.Team)] = "t",
            [nameof(SessionHistory.Node)] = "n", [nameof(SessionHistory.OpenedAt)] = "o", [nameof(SessionHistory.RegisteredAt)] = "rg",
            [nameof(SessionHistory.ClosedAt)] = "cl", [nameof(SessionHistory.CloseCause)] = "cc", [nameof(SessionHistory.SilentAt)] = "si",
            [nameof(SessionHistory.LastPingSentAt)] = "ps", [nameof(SessionHistory.LastPingAckAt)] = "pa", [nameof(SessionHistory.PingsOk)] = "ok",
            [nameof(SessionHistory.PingsFailed)] = "pf", [nameof(SessionHistory.StatusesSet)] = "st", [nameof(SessionHistory.Subscribes)] = "sb",
            [nameof(SessionHistory.Unsubscribes)] = "ub",
        },
        [typeof(ReceivedEvent)] = new()
        {
            [nameof(ReceivedEvent.Kind)] = "k", [nameof(ReceivedEvent.UserId)] = "u", [nameof(ReceivedEvent.Version)] = "v",
            [nameof(ReceivedEvent.Status)] = "s", [nameof(ReceivedEvent.Reason)] = "r", [nameof(ReceivedEvent.ArrivedAt)] = "a",
            [nameof(ReceivedEvent.DecidedAt)] = "d", [nameof(ReceivedEvent.Users)] = "us", [nameof(ReceivedEvent.Scope)] = "sc",
            [nameof(ReceivedEvent.Versions)] = "vs",
        },
        [typeof(FaultWindow)] = new()
        {
            [nameof(FaultWindow.Kind)] = "k", [nameof(FaultWindow.Target)] = "t", [nameof(FaultWindow.Start)] = "s", [nameof(FaultWindow.End)] = "e",
        },
        [typeof(StoreSample)] = new()
        {
            [nameof(StoreSample.UserId)] = "u", [nameof(StoreSample.Online)] = "o", [nameof(StoreSample.At)] = "a", [nameof(StoreSample.Node)] = "n",
        },
    };

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { Shape } },
    };

    /// <summary>zlib level 3: on 1M events, 35 MB in about 3.5 s, where level 1 writes 56 MB and level 6 takes 1.5x as long for 34 MB.</summary>
    private static readonly ZLibCompressionOptions Compression = new() { CompressionLevel = 3 };

    /// <summary>Writes <paramref name="run"/> to <paramref name="path"/> as it goes (no copy of the run first), through a temporary file beside it.</summary>
    public static async Task SaveAsync(ChaosRun run, string path, CancellationToken cancellationToken = default)
    {
        var temporary = path + ".tmp";
        await using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
        await using (var gzip = new GZipStream(file, Compression))
        {
            await JsonSerializer.SerializeAsync(gzip, run, Json, cancellationToken);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads a run <see cref="SaveAsync"/> wrote; its <see cref="ChaosRun.StartUtc"/> is the recorded one.</summary>
    public static async Task<ChaosRun> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        return await JsonSerializer.DeserializeAsync<ChaosRun>(gzip, Json, cancellationToken) ?? throw new InvalidDataException($"{path} holds no saved history.");
    }

    private static void Shape(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object || type.Type.Assembly != typeof(HistoryFile).Assembly)
        {
            return;
        }

        // What cannot be set is computed (IsClosed, LosesData, ...) or attached below (the events): not data to save.
        foreach (var computed in type.Properties.Where(static p => p.Set is null).ToList())
        {
            type.Properties.Remove(computed);
        }

        var names = ShortNames.GetValueOrDefault(type.Type);
        var pristine = type.CreateObject?.Invoke();
        foreach (var property in type.Properties)
        {
            if (names is not null && property.AttributeProvider is MemberInfo member)
            {
                property.Name = names.TryGetValue(member.Name, out var name) ? name : property.Name;
            }

            if (pristine is not null && property.Get is not null && !property.IsRequired && IsNothing(property.Get(pristine)))
            {
                property.ShouldSerialize = static (_, value) => !IsNothing(value);
            }
        }

        if (type.Type == typeof(SessionHistory))
        {
            var events = type.CreateJsonPropertyInfo(typeof(IReadOnlyList<ReceivedEvent>), "e");
            events.Get = static session => ((SessionHistory)session).Events;
            events.ShouldSerialize = static (_, received) => ((IReadOnlyList<ReceivedEvent>)received!).Count > 0;
            events.Set = static (session, received) =>
            {
                foreach (var e in (IReadOnlyList<ReceivedEvent>)received!)
                {
                    ((SessionHistory)session).Record(e);
                }
            };
            type.Properties.Add(events);
        }
        else if (type.Type == typeof(ChaosRun))
        {
            var format = type.CreateJsonPropertyInfo(typeof(string), "format");
            format.Get = static _ => Format;
            format.Set = static (_, value) =>
            {
                if (value as string != Format)
                {
                    throw new InvalidDataException($"the file is '{value}', not a saved chaos history ('{Format}')");
                }
            };
            format.IsRequired = true;
            format.Order = -1;
            type.Properties.Add(format);
            type.Properties.Single(static p => p.Name == "sessions").Order = 1;
        }
    }

    /// <summary>What a property may leave out: a null, an empty list or an integer 0 (never a double: 0 is not NaN).</summary>
    private static bool IsNothing(object? value) => value is null or ICollection { Count: 0 } or 0 or 0L;
}
