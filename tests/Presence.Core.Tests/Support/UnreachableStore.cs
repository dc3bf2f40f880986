using Microsoft.Extensions.Options;

namespace Presence.Core.Tests.Support;

/// <summary>A store that cannot be reached at all, not even for counts (what a health check probes).</summary>
internal sealed class UnreachableStore(IOptions<PresenceOptions> options, TimeProvider timeProvider) : DelegatingPresenceStore(options, timeProvider)
{
    public override ValueTask<PresenceCounts> GetCountsAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromException<PresenceCounts>(new InvalidOperationException("The store is unreachable."));
}
