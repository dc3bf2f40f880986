namespace Presence.Chaos.Infrastructure;

/// <summary>
/// The Redis the nodes share: one standalone redis-server, or a 3-master Redis Cluster with no
/// replicas. Each cluster master announces its own latency proxy (<c>--cluster-announce-port</c>), so
/// the nodes reach it through that proxy after any <c>MOVED</c>, and a latency fault slows that master
/// for every node; the cluster bus announces the masters' real bus ports and bypasses the proxies.
/// Slot ranges are fixed: master <c>i</c> of <c>n</c> owns <c>[i·16384/n, (i+1)·16384/n)</c>.
/// </summary>
internal sealed class RedisDeployment : IAsyncDisposable
{
    private const int Slots = 16384;
    private readonly List<RedisServer> _masters = [];
    private readonly List<LatencyProxy> _proxies = [];

    private RedisDeployment(bool cluster) => IsCluster = cluster;

    public bool IsCluster { get; }

    /// <summary>The standalone server, or the cluster's masters.</summary>
    public IReadOnlyList<RedisServer> Masters => _masters;

    /// <summary>Cluster only: each master's proxy (index = master index). Empty for a standalone server.</summary>
    public IReadOnlyList<LatencyProxy> MasterProxies => _proxies;

    public static async Task<RedisDeployment> StartStandaloneAsync()
    {
        var deployment = new RedisDeployment(cluster: false);
        var server = new RedisServer();
        deployment._masters.Add(server);
        await server.StartAsync();
        return deployment;
    }

    public static async Task<RedisDeployment> StartClusterAsync(int masters)
    {
        var deployment = new RedisDeployment(cluster: true);
        try
        {
            for (var i = 0; i < masters; i++)
            {
                // The proxy listens first (its port is what the master announces), and forwards to the master's port.
                var port = FreePort.Next();
                var proxy = new LatencyProxy(port);
                proxy.Start();
                deployment._proxies.Add(proxy);
                deployment._masters.Add(new RedisServer(port, proxy.Port));
            }

            await Task.WhenAll(deployment._masters.Select(static m => m.StartAsync()));
            for (var i = 0; i < masters; i++)
            {
                var (first, last) = SlotRange(i, masters);
                var master = deployment._masters[i];
                Expect(await master.CommandAsync("CLUSTER", "SET-CONFIG-EPOCH", (i + 1).ToString()), "SET-CONFIG-EPOCH");
                Expect(await master.CommandAsync("CLUSTER", "ADDSLOTSRANGE", first.ToString(), last.ToString()), "ADDSLOTSRANGE");
            }

            for (var i = 1; i < masters; i++)
            {
                Expect(await deployment._masters[0].CommandAsync("CLUSTER", "MEET", "127.0.0.1", deployment._masters[i].Port.ToString(), deployment._masters[i].BusPort.ToString()), "MEET");
            }

            await deployment.WaitUntilHealthyAsync();
            return deployment;
        }
        catch
        {
            await deployment.DisposeAsync();
            throw;
        }
    }

    /// <summary>The connection string a node uses: its own standalone proxy, or every master's proxy (the seeds of the cluster discovery).</summary>
    public string ConnectionStringFor(LatencyProxy? nodeProxy) =>
        IsCluster ? string.Join(',', _proxies.Select(static p => p.Endpoint)) : nodeProxy!.Endpoint;

    /// <summary>Every master agrees that the cluster is up, with all slots assigned (cluster only; a standalone server is always "healthy").</summary>
    public async Task WaitUntilHealthyAsync()
    {
        if (!IsCluster)
        {
            return;
        }

        await Eventually.TrueAsync(
            async () => (await Task.WhenAll(_masters.Select(m => m.ClusterIsOkAsync(_masters.Count)))).All(static ok => ok),
            TimeSpan.FromSeconds(60), "every cluster master reports cluster_state:ok with all slots and nodes");
    }

    /// <summary>The master that owns a key's hash slot (the standalone server for a standalone deployment).</summary>
    public async Task<RedisServer> MasterForKeyAsync(string key)
    {
        if (!IsCluster)
        {
            return _masters[0];
        }

        var slot = int.Parse(await _masters[0].CommandAsync("CLUSTER", "KEYSLOT", key));
        return _masters[MasterOfSlot(slot)];
    }

    public string Describe() => IsCluster
        ? $"Redis Cluster of {_masters.Count} masters: {string.Join(", ", _masters.Select((m, i) => $"m{i} {m.Endpoint} (slots {SlotRange(i, _masters.Count).First}-{SlotRange(i, _masters.Count).Last}) announced as {_proxies[i].Endpoint}"))}"
        : $"redis-server {_masters[0].Endpoint}";

    public async ValueTask DisposeAsync()
    {
        foreach (var proxy in _proxies)
        {
            await proxy.DisposeAsync();
        }

        foreach (var master in _masters)
        {
            await master.DisposeAsync();
        }
    }

    private int MasterOfSlot(int slot)
    {
        for (var i = 0; i < _masters.Count; i++)
        {
            var (first, last) = SlotRange(i, _masters.Count);
            if (slot >= first && slot <= last)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"Slot {slot} has no master.");
    }

    private static (int First, int Last) SlotRange(int index, int count) => (index * Slots / count, ((index + 1) * Slots / count) - 1);

    private static void Expect(string reply, string command)
    {
        if (reply != "OK")
        {
            throw new InvalidOperationException($"CLUSTER {command} answered '{reply}'.");
        }
    }
}
