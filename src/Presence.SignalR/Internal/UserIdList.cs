using System.Collections;

namespace Presence.SignalR.Internal;

/// <summary>
/// An audience's user ids with a hash-based <see cref="Contains"/>. SignalR's in-process lifetime
/// manager sends to users by testing every local connection with <c>userIds.Contains(...)</c>, which
/// on a plain list costs O(connections × audience); through <see cref="ICollection{T}"/> it is O(connections).
/// </summary>
internal sealed class UserIdList : IReadOnlyList<string>, ICollection<string>
{
    private readonly IReadOnlyList<string> _ids;
    private readonly HashSet<string> _set;

    private UserIdList(IReadOnlyList<string> ids)
    {
        _ids = ids;
        _set = new HashSet<string>(ids, StringComparer.Ordinal);
    }

    public int Count => _ids.Count;

    public bool IsReadOnly => true;

    public string this[int index] => _ids[index];

    /// <summary>Wraps a list when it is long enough for hashing to pay; short lists are returned as they are.</summary>
    public static IReadOnlyList<string> For(IReadOnlyList<string> ids) => ids.Count > 8 ? new UserIdList(ids) : ids;

    public bool Contains(string item) => item is not null && _set.Contains(item);

    public void CopyTo(string[] array, int arrayIndex)
    {
        for (var i = 0; i < _ids.Count; i++)
        {
            array[arrayIndex + i] = _ids[i];
        }
    }

    public IEnumerator<string> GetEnumerator() => _ids.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    void ICollection<string>.Add(string item) => throw new NotSupportedException();

    void ICollection<string>.Clear() => throw new NotSupportedException();

    bool ICollection<string>.Remove(string item) => throw new NotSupportedException();
}
