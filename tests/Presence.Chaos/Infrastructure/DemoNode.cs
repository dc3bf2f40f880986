using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Presence.Chaos.Infrastructure;

/// <summary>
/// One demo server process (a "node") on a fixed 127.0.0.1 port, using the Redis store and
/// backplane, which the scheduler may SIGKILL and restart on the same port, or SIGSTOP and SIGCONT.
/// </summary>
internal sealed class DemoNode : IAsyncDisposable
{
    private const int MaxOutputChars = 200_000;
    private readonly StringBuilder _output = new();
    private readonly HttpClient _http;
    private readonly StreamWriter _log;
    private Process? _process;

    public DemoNode(string name, string redisEndpoint, IReadOnlyDictionary<string, string> settings)
    {
        Name = name;
        Port = FreePort.Next();
        BaseAddress = new Uri($"http://127.0.0.1:{Port}");
        RedisEndpoint = redisEndpoint;
        Settings = settings;
        _http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

        // Every line, stamped on the run's clock so it lines up with the histories; the report keeps only the start.
        _log = new StreamWriter(Path.Combine(AppContext.BaseDirectory, $"chaos-node-{name}.log"), append: false) { AutoFlush = false };
    }

    public string Name { get; }

    public int Port { get; }

    public Uri BaseAddress { get; }

    public string RedisEndpoint { get; }

    public IReadOnlyDictionary<string, string> Settings { get; }

    /// <summary>Whether the process runs and answers (false from a kill until the restart answered, and while stopped).</summary>
    public bool IsServing { get; private set; }

    public int? ProcessId => _process is { HasExited: false } process ? process.Id : null;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public async Task StartAsync()
    {
        Launch();
        await Eventually.TrueAsync(IsReadyAsync, TimeSpan.FromSeconds(90), $"node {Name} answers on {BaseAddress}");
        IsServing = true;
    }

    /// <summary>SIGKILL: the node dies without a goodbye; its connections stay in Redis until they expire.</summary>
    public async Task KillAsync()
    {
        IsServing = false;
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        Append($"--- {Name} SIGKILL at {DateTime.UtcNow:HH:mm:ss.fff} ---");
    }

    /// <summary>SIGSTOP: the process freezes, like a very long GC pause; sockets stay open.</summary>
    public Task PauseAsync()
    {
        IsServing = false;
        Append($"--- {Name} SIGSTOP at {DateTime.UtcNow:HH:mm:ss.fff} ---");
        return SignalAsync("-STOP");
    }

    /// <summary>SIGCONT: the frozen process runs again.</summary>
    public async Task ResumeAsync()
    {
        await SignalAsync("-CONT");
        Append($"--- {Name} SIGCONT at {DateTime.UtcNow:HH:mm:ss.fff} ---");
        IsServing = true;
    }

    public async Task<string> GetTokenAsync(string userId, string team)
    {
        using var response = await _http.PostAsJsonAsync("/api/dev/token", new { userId, team });
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("accessToken").GetString()!;
    }

    /// <summary>The store's view of a user through the demo's Development-only endpoint; null while the store is unavailable.</summary>
    public async Task<bool?> TryIsOnlineAsync(string userId, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync($"/api/presence/users/{Uri.EscapeDataString(userId)}", cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            return body.RootElement.GetProperty("online").GetBoolean();
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            // A stopped process cannot die of SIGKILL until it runs again on some kernels' views of the tree; resume first.
            await SignalAsync("-CONT");
        }

        await KillAsync();
        _process?.Dispose();
        _http.Dispose();
        lock (_output)
        {
            _log.Dispose();
        }
    }

    private void Launch()
    {
        _process?.Dispose();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { RepositoryPaths.DemoAssembly, "--urls", BaseAddress.ToString().TrimEnd('/') },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(RepositoryPaths.DemoAssembly)!,
        };

        // /api/dev/token and /api/presence/users exist only in Development.
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["Presence__Store"] = "Redis";
        start.Environment["ConnectionStrings__Redis"] = RedisEndpoint;
        foreach (var (key, value) in Settings)
        {
            start.Environment[key] = value;
        }

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    private async Task SignalAsync(string signal)
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        using var kill = Process.Start("kill", [signal, process.Id.ToString()]);
        await kill.WaitForExitAsync();
    }

    private async Task<bool> IsReadyAsync()
    {
        if (_process is { HasExited: true })
        {
            throw new InvalidOperationException($"Node {Name} exited with code {_process.ExitCode}:\n{Output}");
        }

        try
        {
            using var response = await _http.GetAsync("/");
            return response.IsSuccessStatusCode;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _log.WriteLine($"[{History.RunClock.Now,9:0.000}] {line}");
            if (_output.Length < MaxOutputChars)
            {
                _output.AppendLine(line);
            }
        }
    }
}
