namespace Presence.Internal;

/// <summary>The valid ids of a list, each once, in first order of appearance (audiences and visibilities drop the rest).</summary>
internal static class ValidIds
{
    public static string[] Distinct(IEnumerable<string>? ids)
    {
        if (ids is null)
        {
            return [];
        }

        var set = new HashSet<string>(StringComparer.Ordinal);
        var list = new List<string>();
        foreach (var id in ids)
        {
            if (PresenceId.IsValid(id) && set.Add(id))
            {
                list.Add(id);
            }
        }

        return [.. list];
    }
}
