namespace Presence.Internal;

/// <summary>
/// A node of an intrusive <see cref="ExpiryList"/>: connections and users link themselves, so
/// moving one between lists never allocates. A node is in at most one list at a time.
/// </summary>
internal abstract class ExpiryNode
{
    // Guarded by the owning shard's gate.
    public long Deadline;
    public ExpiryNode? Previous;
    public ExpiryNode? Next;
    public bool Linked;
}
