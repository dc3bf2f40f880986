using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Presence.ScaleOut.Tests.Infrastructure;

/// <summary>One demo server process (a "node") on a random 127.0.0.1 port, using the Redis store and backplane.</summary>
internal sealed class DemoNode : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private readonly HttpClient _http;
    private Process? _process;

    public DemoNode(string name, string redisEndpoint, IReadOnlyDictionary<string, string> settings)
    {
        Name = name;
        Port = FreePort.Next();
        BaseAddress = new Uri($"http://127.0.0.1:{Port}");
        RedisEndpoint = redisEndpoint;
        Settings = settings;
        _http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public string Name { get; }

    public int Port { get; }

    public Uri BaseAddress { get; }

    public string RedisEndpoint { get; }

    public IReadOnlyDictionary<string, string> Settings { get; }

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
        await Eventually.TrueAsync(IsReadyAsync, TimeSpan.FromSeconds(60), $"node {Name} answers on {BaseAddress}");
    }

    /// <summary>Starts the node expecting it to refuse to start; returns its exit code once it exited.</summary>
    public async Task<int> RunUntilExitAsync(TimeSpan timeout)
    {
        Launch();
        using var cts = new CancellationTokenSource(timeout);
        await _process!.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    private void Launch()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { RepositoryPaths.DemoAssembly, "--urls", BaseAddress.ToString().TrimEnd('/') },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(RepositoryPaths.DemoAssembly)!,
        };
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

    public async Task<string> GetTokenAsync(string userId, string team)
    {
        using var response = await _http.PostAsJsonAsync("/api/dev/token", new { userId, team });
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("accessToken").GetString()!;
    }

    /// <summary>SIGKILL: the node dies without a goodbye.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>SIGTERM: the host shuts down cleanly.</summary>
    public async Task StopGracefullyAsync(TimeSpan timeout)
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString()]))
        {
            await kill.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        _http.Dispose();
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
        catch (HttpRequestException)
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
            _output.AppendLine(line);
        }
    }
}
