using Microsoft.Extensions.Time.Testing;
using Presence.Testing;
using Presence.Internal;

namespace Presence.Core.Tests;

public sealed class InMemoryPresenceStoreConformanceTests : PresenceStoreConformanceTests
{
    private InMemoryPresenceStore? _store;

    // One process has one in-memory backend: a second "node" is the same store.
    protected override ValueTask<IPresenceStore> CreateStoreAsync(PresenceOptions options, FakeTimeProvider timeProvider) =>
        new(_store ??= new InMemoryPresenceStore(Microsoft.Extensions.Options.Options.Create(options), timeProvider));
}
