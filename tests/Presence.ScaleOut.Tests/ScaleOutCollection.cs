using Xunit;

namespace Presence.ScaleOut.Tests;

/// <summary>Process-level tests run one at a time: each starts Redis and two servers on a 2-core machine.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ScaleOutCollection
{
    public const string Name = "Scale-out processes";
}
