using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Presence.SignalR;
using Presence.SignalR.Internal;

namespace Presence.Benchmarks.FanOut;

/// <summary>
/// The SignalR transport's cost of one transition (a <c>presence:online</c>) heard by
/// <see cref="Interested"/> users, on a node holding <see cref="ConnectedUsers"/> connected users
/// (one connection each, whose transport discards the bytes). A real
/// <see cref="IHubContext{THub}"/> over SignalR's <see cref="DefaultHubLifetimeManager{THub}"/>, no
/// backplane. Seed: one <c>Clients.User(id).SendAsync</c> per interested user, each awaited (the seed
/// loops over the <c>user:{id}</c> rooms). Ours: the <see cref="PresenceHubEventHandler{THub}"/> with
/// the audience as a list of users (one <c>Clients.Users(list)</c> send) or as a group holding the
/// interested users (one <c>Clients.Group</c> send).
/// </summary>
[MemoryDiagnoser]
public class FanOutBenchmarks
{
    private const string Group = "team-fanout";
    private const string TransitionUser = "user-transition";

    private readonly UserOnline _event = new(TransitionUser, DateTimeOffset.UnixEpoch.AddYears(56), Version: 1);
    private ServiceProvider _services = null!;
    private IHubContext<PresenceHub> _hub = null!;
    private string[] _interested = [];
    private PresenceHubEventHandler<PresenceHub> _byUsers = null!;
    private PresenceHubEventHandler<PresenceHub> _byGroup = null!;
    private FixedAudienceResolver _seedResolver = null!;

    [Params(1, 100, 10_000)]
    public int Interested { get; set; }

    [Params(10_000)]
    public int ConnectedUsers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddSignalR();
        _services = services.BuildServiceProvider();
        _hub = _services.GetRequiredService<IHubContext<PresenceHub>>();
        var lifetime = _services.GetRequiredService<HubLifetimeManager<PresenceHub>>();

        var users = BenchmarkIds.Users(ConnectedUsers, "fanout-user-");
        _interested = users[..Interested];
        var protocol = new JsonHubProtocol();
        for (var i = 0; i < users.Length; i++)
        {
            var transport = new NullDuplexPipe();
            var connection = new DefaultConnectionContext("connection-" + i, transport, transport);
            var context = new HubConnectionContext(connection, new HubConnectionContextOptions(), NullLoggerFactory.Instance)
            {
                Protocol = protocol,
                UserIdentifier = users[i],
            };
            lifetime.OnConnectedAsync(context).GetAwaiter().GetResult();
            if (i < Interested)
            {
                lifetime.AddToGroupAsync(context.ConnectionId, Group).GetAwaiter().GetResult();
            }
        }

        var usersAudience = PresenceAudience.ForUsers(_interested);
        _seedResolver = new FixedAudienceResolver(usersAudience);
        _byUsers = new PresenceHubEventHandler<PresenceHub>(_hub, _seedResolver);
        _byGroup = new PresenceHubEventHandler<PresenceHub>(_hub, new FixedAudienceResolver(PresenceAudience.ForGroups([Group])));
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Baseline = true, Description = "Seed: one Clients.User send per interested user")]
    public async Task Seed()
    {
        var audience = await _seedResolver.GetAudienceAsync(_event.UserId).ConfigureAwait(false);
        var message = new PresenceOnlineMessage { UserId = _event.UserId, Timestamp = _event.Timestamp.ToString("O"), Version = _event.Version };
        foreach (var userId in audience.UserIds)
        {
            await _hub.Clients.User(userId).SendAsync(PresenceHubMethods.Online, message).ConfigureAwait(false);
        }
    }

    [Benchmark(Description = "Ours: one Clients.Users send (audience of user ids)")]
    public ValueTask OursUsers() => _byUsers.HandleAsync(_event, CancellationToken.None);

    [Benchmark(Description = "Ours: one Clients.Group send (audience as a group)")]
    public ValueTask OursGroup() => _byGroup.HandleAsync(_event, CancellationToken.None);
}
