namespace Presence.LoadTest;

/// <summary>The load test only ever talks to this machine.</summary>
internal static class Loopback
{
    public static bool IsLoopbackHost(string host) => host is "127.0.0.1" or "localhost";

    public static Uri RequireUri(string option, string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"{option} must be an http URL like http://127.0.0.1:5000, not '{value}'.");
        }

        return IsLoopbackHost(uri.Host)
            ? uri
            : throw new ArgumentException($"{option} {value}: the load test only targets 127.0.0.1 or localhost.");
    }

    public static string RequireEndpoint(string option, string value)
    {
        var colon = value.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(value.AsSpan(colon + 1), out _))
        {
            throw new ArgumentException($"{option} must be host:port, not '{value}'.");
        }

        return IsLoopbackHost(value[..colon])
            ? value
            : throw new ArgumentException($"{option} {value}: the load test only targets 127.0.0.1 or localhost.");
    }
}
