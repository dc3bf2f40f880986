using System.Reflection;
using Presence.SignalR.Internal;
using Xunit;

namespace Presence.SignalR.Tests;

/// <summary>Everything presence names on a host's hub (methods and groups) is under <c>presence:</c>, apart from the host's own names.</summary>
public sealed class NamingConventionTests
{
    [Fact]
    public void Every_hub_method_and_every_group_presence_uses_starts_with_presence_colon()
    {
        var methods = typeof(PresenceHubMethods).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();

        Assert.Equal(8, methods.Count);
        Assert.All(methods, m => Assert.StartsWith("presence:", m, StringComparison.Ordinal));
        Assert.StartsWith("presence:", PresenceGroups.Tracked, StringComparison.Ordinal);
        Assert.StartsWith("presence:watch:", PresenceGroups.Watch("alice"), StringComparison.Ordinal);
        Assert.NotEqual(PresenceGroups.Tracked, PresenceGroups.Watch("tracked"));
    }
}
