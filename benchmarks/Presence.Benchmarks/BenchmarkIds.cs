namespace Presence.Benchmarks;

/// <summary>Deterministic ids shaped like real ones, made before measuring so no benchmark times string building.</summary>
internal static class BenchmarkIds
{
    public static string[] Users(int count, string prefix = "user-")
    {
        var ids = new string[count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = prefix + i.ToString("D7");
        }

        return ids;
    }

    /// <summary>SignalR connection ids are 22 base64url characters (16 random bytes); these are too.</summary>
    public static string[] Connections(int count, int seed)
    {
        var random = new Random(seed);
        Span<byte> bytes = stackalloc byte[16];
        var ids = new string[count];
        for (var i = 0; i < ids.Length; i++)
        {
            random.NextBytes(bytes);
            ids[i] = Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        }

        return ids;
    }
}
