using System.Diagnostics;
using System.Net.Sockets;

namespace Presence.Chaos.Infrastructure;

/// <summary>
/// A private redis-server on a fixed 127.0.0.1 port with no persistence, which the scheduler may
/// kill and restart empty on the same port, flush or pause.
/// </summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("presence-chaos-redis-").FullName;
    private Process? _process;

    public int Port { get; } = FreePort.Next();

    public string Endpoint => $"127.0.0.1:{Port}";

    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("redis-server")
        {
            ArgumentList =
            {
                "--bind", "127.0.0.1", "--port", Port.ToString(), "--save", "", "--appendonly", "no",
                "--dir", _directory, "--logfile", Path.Combine(_directory, "redis.log"),
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _process?.Dispose();
        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        await Eventually.TrueAsync(PingsAsync, TimeSpan.FromSeconds(30), $"redis-server answers on {Endpoint}");
    }

    /// <summary>SIGKILL: every key is lost (no persistence).</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Runs one command through redis-cli; with <paramref name="input"/>, redis-cli reads commands from it (one a line).</summary>
    public async Task<string> CommandAsync(string[] args, string? input = null)
    {
        var start = new ProcessStartInfo("redis-cli")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
        };
        foreach (var arg in new[] { "-h", "127.0.0.1", "-p", Port.ToString() }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        using var cli = Process.Start(start)!;
        if (input is not null)
        {
            await cli.StandardInput.WriteAsync(input);
            cli.StandardInput.Close();
        }

        var output = await cli.StandardOutput.ReadToEndAsync();
        await cli.WaitForExitAsync();
        return output.Trim();
    }

    public Task<string> CommandAsync(params string[] args) => CommandAsync(args, input: null);

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<bool> PingsAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port);
            return (await CommandAsync("PING")) == "PONG";
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
