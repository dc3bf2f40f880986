using Microsoft.Extensions.DependencyInjection;

namespace Presence;

/// <summary>
/// Returned by <c>AddPresence()</c>: the place where stores, interest resolvers, event handlers and
/// transports attach (<c>.AddRedisStore(...)</c>, <c>.AddInterestResolver&lt;T&gt;()</c>, ...).
/// </summary>
public interface IPresenceBuilder
{
    /// <summary>The service collection presence is registered in.</summary>
    IServiceCollection Services { get; }
}
