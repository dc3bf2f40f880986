namespace Presence.Internal;

/// <summary>
/// A doubly linked list of nodes ordered by deadline. Every deadline appended to one list is
/// "now + the same span" with the time read under the shard's gate, so appending at the tail keeps
/// it sorted, and a sweep only looks at the head.
/// </summary>
/// <remarks>
/// A mutable struct kept as a field of <see cref="ExpiryShard"/> and only ever called through that
/// field, so calls update it in place; it saves a dereference on every connect and disconnect. Callers hold the shard's gate.
/// </remarks>
internal struct ExpiryList
{
    private ExpiryNode? _head;
    private ExpiryNode? _tail;

    /// <summary>The node with the earliest deadline.</summary>
    public readonly ExpiryNode? Head => _head;

    /// <summary>Links a node at the tail with the given deadline.</summary>
    public void Append(ExpiryNode node, long deadline)
    {
        // A clock that steps back must not break the order the sweep relies on.
        node.Deadline = _tail is { } tail && tail.Deadline > deadline ? tail.Deadline : deadline;
        node.Previous = _tail;
        node.Next = null;
        if (_tail is null)
        {
            _head = node;
        }
        else
        {
            _tail.Next = node;
        }

        _tail = node;
        node.Linked = true;
    }

    /// <summary>Unlinks a node.</summary>
    public void Unlink(ExpiryNode node)
    {
        if (node.Previous is null)
        {
            _head = node.Next;
        }
        else
        {
            node.Previous.Next = node.Next;
        }

        if (node.Next is null)
        {
            _tail = node.Previous;
        }
        else
        {
            node.Next.Previous = node.Previous;
        }

        node.Previous = null;
        node.Next = null;
        node.Linked = false;
    }
}
