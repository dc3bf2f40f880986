using System.Text.Json;

namespace Presence.Demo;

/// <summary>
/// One published directory change: <c>[epoch, version, user, previous team or "", team]</c>, or
/// <c>[epoch, version]</c> when a node wrote back many memberships at once (<see cref="IsReload"/>).
/// </summary>
internal sealed record RedisTeamDirectoryChange(string Epoch, long Version, string? UserId, string? Previous, string? Team)
{
    public bool IsReload => UserId is null;

    /// <summary>Parses the script's cjson array; throws <see cref="JsonException"/> on anything else.</summary>
    public static RedisTeamDirectoryChange Parse(string payload)
    {
        using var document = JsonDocument.Parse(payload);
        var items = document.RootElement;
        if (items.ValueKind != JsonValueKind.Array || items.GetArrayLength() is not (2 or 5))
        {
            throw new JsonException("Not a directory change: " + payload);
        }

        var epoch = items[0].GetString() ?? throw new JsonException("No epoch.");
        var version = items[1].GetInt64();
        if (items.GetArrayLength() == 2)
        {
            return new RedisTeamDirectoryChange(epoch, version, null, null, null);
        }

        var previous = items[3].GetString();
        return new RedisTeamDirectoryChange(epoch, version, items[2].GetString(), string.IsNullOrEmpty(previous) ? null : previous, items[4].GetString());
    }
}
