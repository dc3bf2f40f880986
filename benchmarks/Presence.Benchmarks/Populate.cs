namespace Presence.Benchmarks;

/// <summary>Registers one connection per user in every implementation under test.</summary>
internal static class Populate
{
    /// <summary>
    /// One pass per implementation, not one interleaved pass, so each implementation's objects lie
    /// together on the heap as they would in its own app, and none pays for the others' layout.
    /// </summary>
    public static void OnePassEach(string[] userIds, string[] connectionIds, params Action<string, string>[] connects)
    {
        foreach (var connect in connects)
        {
            for (var i = 0; i < userIds.Length; i++)
            {
                connect(userIds[i], connectionIds[i]);
            }
        }
    }
}
