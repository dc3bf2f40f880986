using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Presence.ScaleSim;

/// <summary>Free 127.0.0.1 ports for private Redis servers.</summary>
internal static class FreePorts
{
    /// <summary>A port <c>p</c> such that <c>p</c> and <c>p + 10000</c> (Redis Cluster's bus port) are both free on 127.0.0.1.</summary>
    /// <param name="taken">Ports already handed out in this run, skipped.</param>
    /// <returns>The port.</returns>
    public static int PairFree(ICollection<int> taken)
    {
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var port = RandomNumberGenerator.GetInt32(20_000, 45_000);
            if (!taken.Contains(port) && !taken.Contains(port + 10_000) && IsFree(port) && IsFree(port + 10_000))
            {
                taken.Add(port);
                return port;
            }
        }

        throw new InvalidOperationException("No free pair of 127.0.0.1 ports (p, p + 10000) found.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
