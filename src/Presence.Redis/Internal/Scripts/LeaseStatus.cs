namespace Presence.Redis.Internal;

/// <summary>What a script found of the node's lease; the values are the scripts' <c>lease</c> results.</summary>
internal enum LeaseStatus
{
    /// <summary>The shard lost its data since the epoch the node knows: the node restores the shard first.</summary>
    DataLost = -2,

    /// <summary>The lease ended and another node swept it (its users were reported offline): the node takes a new one.</summary>
    Lost = -1,

    /// <summary>The lease is held (renewed, or created).</summary>
    Held = 1,
}
