using StackExchange.Redis;

namespace Presence.Redis.Internal;

/// <summary>
/// The store's Redis connection: connected on first use, connected again after a failed first
/// connect, and the one place a Redis failure becomes a <see cref="PresenceStoreUnavailableException"/>.
/// </summary>
/// <remarks>
/// A failure is a <see cref="RedisException"/> (including connection errors) or a
/// <see cref="TimeoutException"/>: StackExchange.Redis's <see cref="RedisTimeoutException"/> derives
/// from <see cref="TimeoutException"/>, not from <see cref="RedisException"/>.
/// </remarks>
internal sealed class RedisConnection : IAsyncDisposable
{
    private readonly Func<Task<IConnectionMultiplexer>> _connect;
    private readonly bool _ownsConnection;
    private readonly string _keyPrefix;
    private readonly Lock _gate = new();
    private Task<IConnectionMultiplexer>? _connection;
    private IDatabase? _database;
    private int _disposed;
    private int _watching;
    private int _subscribed;

    /// <param name="connect">Returns the connection; called once, again only after a failed first connect.</param>
    /// <param name="ownsConnection">Whether disposing disposes the multiplexer; never for one the app owns.</param>
    /// <param name="keyPrefix">Named in failure messages, so the app can tell its stores apart.</param>
    public RedisConnection(Func<Task<IConnectionMultiplexer>> connect, bool ownsConnection, string keyPrefix)
    {
        ArgumentNullException.ThrowIfNull(connect);
        _connect = connect;
        _ownsConnection = ownsConnection;
        _keyPrefix = keyPrefix;
    }

    /// <summary>Whether the server is a Redis Cluster (known once connected): a script's keys must then share one hash slot.</summary>
    public bool IsCluster { get; private set; }

    /// <summary>Raised when a connection of the multiplexer to Redis came back after it failed (commands or subscriptions).</summary>
    public event Action? Restored;

    /// <summary>Raised when any node of this key prefix asked every node for a resync (<see cref="PublishResyncAsync"/>).</summary>
    public event Action? ResyncAsked;

    private RedisChannel ResyncChannel => RedisChannel.Literal(_keyPrefix + ":resync");

    /// <summary>Asks every node sharing the key prefix for a resync of its connections' snapshots (one <c>PUBLISH</c>).</summary>
    public async Task PublishResyncAsync()
    {
        var database = await GetDatabaseAsync("ask the nodes for a resync").ConfigureAwait(false);
        await GuardAsync("ask the nodes for a resync", database.PublishAsync(ResyncChannel, "1")).ConfigureAwait(false);
    }

    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>Whether <paramref name="exception"/> means Redis could not answer (as opposed to a bug).</summary>
    public static bool IsFailure(Exception exception) => exception is RedisException or TimeoutException;

    public void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(IsDisposed, this);

    /// <summary>The database; the one disposal and cancellation check of an operation that goes to Redis.</summary>
    public ValueTask<IDatabase> GetDatabaseAsync(string operation, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        return _database is { } database ? new ValueTask<IDatabase>(database) : ConnectAsync(operation);
    }

    /// <summary>Runs a script on one shard's keys; a failure becomes <see cref="PresenceStoreUnavailableException"/>.</summary>
    public Task<RedisResult> EvaluateAsync(string operation, string script, RedisShardKeys keys, RedisValue[] args, CancellationToken cancellationToken = default) =>
        EvaluateAsync(operation, script, keys.Keys, args, cancellationToken);

    /// <summary>Runs a script on the given keys (one hash slot); a failure becomes <see cref="PresenceStoreUnavailableException"/>.</summary>
    public async Task<RedisResult> EvaluateAsync(string operation, string script, RedisKey[] keys, RedisValue[] args, CancellationToken cancellationToken = default)
    {
        var database = await GetDatabaseAsync(operation, cancellationToken).ConfigureAwait(false);
        return await GuardAsync(operation, database.ScriptEvaluateAsync(script, keys, args)).ConfigureAwait(false);
    }

    /// <summary>Awaits a call; a failure becomes <see cref="PresenceStoreUnavailableException"/>.</summary>
    public async Task<T> GuardAsync<T>(string operation, Task<T> call)
    {
        try
        {
            return await call.ConfigureAwait(false);
        }
        catch (Exception exception) when (IsFailure(exception))
        {
            throw Unavailable(operation, exception);
        }
    }

    /// <summary>The exception callers see when Redis could not <paramref name="operation"/>.</summary>
    public PresenceStoreUnavailableException Unavailable(string operation, Exception exception) =>
        new($"The Redis presence store could not {operation} (key prefix '{_keyPrefix}'): {exception.Message}", exception);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_ownsConnection && _connection is { IsCompletedSuccessfully: true } connection)
        {
            await connection.Result.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Listens to the resync channel; never throws (a failed subscribe is tried again when a connection comes back).</summary>
    private async Task SubscribeResyncAsync(IConnectionMultiplexer multiplexer)
    {
        if (Volatile.Read(ref _subscribed) != 0)
        {
            return;
        }

        try
        {
            await multiplexer.GetSubscriber().SubscribeAsync(ResyncChannel, (_, _) => ResyncAsked?.Invoke()).ConfigureAwait(false);
            Volatile.Write(ref _subscribed, 1);
        }
        catch (Exception exception) when (IsFailure(exception))
        {
            // Redis is not reachable yet: ConnectionRestored subscribes again.
        }
    }

    private async ValueTask<IDatabase> ConnectAsync(string operation)
    {
        Task<IConnectionMultiplexer> pending;
        lock (_gate)
        {
            pending = _connection ??= _connect();
        }

        try
        {
            var multiplexer = await pending.ConfigureAwait(false);
            IsCluster = multiplexer.GetEndPoints().Any(endPoint => multiplexer.GetServer(endPoint).ServerType == ServerType.Cluster);
            if (Interlocked.Exchange(ref _watching, 1) == 0)
            {
                multiplexer.ConnectionRestored += (_, _) =>
                {
                    Restored?.Invoke();
                    _ = SubscribeResyncAsync(multiplexer);
                };
                _ = SubscribeResyncAsync(multiplexer);
            }

            var database = multiplexer.GetDatabase();
            _database = database;
            return database;
        }
        catch (Exception exception) when (IsFailure(exception))
        {
            // A failed first connect must not poison the store: the next call tries again.
            lock (_gate)
            {
                if (ReferenceEquals(_connection, pending))
                {
                    _connection = null;
                }
            }

            throw Unavailable(operation, exception);
        }
    }
}
