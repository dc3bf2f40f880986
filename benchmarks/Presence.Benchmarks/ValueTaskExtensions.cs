namespace Presence.Benchmarks;

/// <summary>Reads the in-memory store's results without an await, failing loudly should one ever be asynchronous.</summary>
internal static class ValueTaskExtensions
{
    public static T Sync<T>(this ValueTask<T> pending) =>
        pending.IsCompletedSuccessfully
            ? pending.Result
            : throw new InvalidOperationException("The in-memory store is expected to complete synchronously.");
}
