using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Presence.Chaos.Infrastructure;

/// <summary>
/// A TCP proxy on 127.0.0.1 between one node and Redis that can add latency to every byte, both
/// ways, preserving order: each chunk read is held until it is <see cref="Delay"/> old. A node
/// points its <c>ConnectionStrings__Redis</c> at <see cref="Endpoint"/>.
/// </summary>
internal sealed class LatencyProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _pipes = [];
    private readonly List<TcpClient> _sockets = [];
    private Task? _accepting;
    private long _delayTicks;

    public LatencyProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
    }

    public int Port { get; }

    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>The latency added to each direction; zero passes bytes on at once.</summary>
    public TimeSpan Delay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _delayTicks));
        set => Interlocked.Exchange(ref _delayTicks, value.Ticks);
    }

    public void Start() => _accepting = AcceptAsync(_stopping.Token);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        lock (_sockets)
        {
            foreach (var socket in _sockets)
            {
                socket.Dispose();
            }
        }

        try
        {
            await (_accepting ?? Task.CompletedTask);
        }
        catch (Exception)
        {
            // Stopping.
        }

        Task[] pipes;
        lock (_pipes)
        {
            pipes = [.. _pipes];
        }

        await Task.WhenAll(pipes.Select(static p => p.ContinueWith(static _ => { }, TaskScheduler.Default)));
        _stopping.Dispose();
    }

    private async Task AcceptAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await _listener.AcceptTcpClientAsync(cancellationToken);
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            var pipe = PipeAsync(inbound, cancellationToken);
            lock (_pipes)
            {
                _pipes.RemoveAll(static p => p.IsCompleted);
                _pipes.Add(pipe);
            }
        }
    }

    private async Task PipeAsync(TcpClient inbound, CancellationToken cancellationToken)
    {
        var outbound = new TcpClient();
        lock (_sockets)
        {
            _sockets.Add(inbound);
            _sockets.Add(outbound);
        }

        try
        {
            inbound.NoDelay = true;
            outbound.NoDelay = true;
            await outbound.ConnectAsync(IPAddress.Loopback, _targetPort, cancellationToken);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var up = CopyAsync(inbound.GetStream(), outbound.GetStream(), linked.Token);
            var down = CopyAsync(outbound.GetStream(), inbound.GetStream(), linked.Token);

            // When either side closes (Redis killed, node killed), close both, as a broken link would.
            await Task.WhenAny(up, down);
            await linked.CancelAsync();
            await Task.WhenAll(up.ContinueWith(static _ => { }, TaskScheduler.Default), down.ContinueWith(static _ => { }, TaskScheduler.Default));
        }
        catch (Exception)
        {
            // Redis is down: the node sees a refused or reset connection, as it would without the proxy.
        }
        finally
        {
            inbound.Dispose();
            outbound.Dispose();
            lock (_sockets)
            {
                _sockets.Remove(inbound);
                _sockets.Remove(outbound);
            }
        }
    }

    private async Task CopyAsync(NetworkStream from, NetworkStream to, CancellationToken cancellationToken)
    {
        var chunks = Channel.CreateUnbounded<(long ReadAt, byte[] Bytes)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var writer = WriteDelayedAsync(chunks.Reader, to, cancellationToken);
        try
        {
            var buffer = new byte[16 * 1024];
            while (true)
            {
                var read = await from.ReadAsync(buffer, cancellationToken);
                if (read == 0)
                {
                    break;
                }

                chunks.Writer.TryWrite((Stopwatch.GetTimestamp(), buffer[..read]));
            }
        }
        finally
        {
            chunks.Writer.TryComplete();
            await writer;
        }
    }

    private async Task WriteDelayedAsync(ChannelReader<(long ReadAt, byte[] Bytes)> chunks, NetworkStream to, CancellationToken cancellationToken)
    {
        await foreach (var (readAt, bytes) in chunks.ReadAllAsync(cancellationToken))
        {
            var wait = Delay - Stopwatch.GetElapsedTime(readAt);
            if (wait > TimeSpan.Zero)
            {
                // The added latency is the fault itself: a timed wait is the point here.
                await Task.Delay(wait, cancellationToken);
            }

            await to.WriteAsync(bytes, cancellationToken);
        }
    }
}
