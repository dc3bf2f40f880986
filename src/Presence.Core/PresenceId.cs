using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Presence;

/// <summary>
/// The rules every user id and connection id must follow, shared by every store and transport so
/// bad input fails the same way everywhere.
/// </summary>
/// <remarks>
/// A valid id is not <see langword="null"/>, not empty or white space only, at most
/// <see cref="MaxLength"/> characters long, has no control characters, and is well-formed UTF-16
/// (no lone surrogate: two ids that differ only in a lone surrogate would encode to the same UTF-8
/// bytes in a store that keeps UTF-8, such as Redis, and merge into one user).
/// </remarks>
public static class PresenceId
{
    /// <summary>The longest id accepted, in UTF-16 characters.</summary>
    /// <value>256.</value>
    public const int MaxLength = 256;

    private static readonly SearchValues<char> s_controlCharacters = SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F"
        + "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F"
        + "\u007F\u0080\u0081\u0082\u0083\u0084\u0085\u0086\u0087\u0088\u0089\u008A\u008B\u008C\u008D\u008E\u008F"
        + "\u0090\u0091\u0092\u0093\u0094\u0095\u0096\u0097\u0098\u0099\u009A\u009B\u009C\u009D\u009E\u009F");

    /// <summary>Whether <paramref name="id"/> is a valid id.</summary>
    /// <param name="id">The id to check.</param>
    /// <returns><see langword="true"/> when the id is valid.</returns>
    public static bool IsValid([NotNullWhen(true)] string? id) => Validate(id) is null;

    /// <summary>Throws when <paramref name="id"/> is not a valid id.</summary>
    /// <param name="id">The id to check.</param>
    /// <param name="paramName">The parameter's name, filled in by the compiler.</param>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="id"/> is empty, white space, too long or has a control character or a lone surrogate.</exception>
    public static void ThrowIfInvalid([NotNull] string? id, [CallerArgumentExpression(nameof(id))] string? paramName = null)
    {
        if (id is null)
        {
            throw new ArgumentNullException(paramName);
        }

        var problem = Validate(id);
        if (problem is not null)
        {
            throw new ArgumentException(problem, paramName);
        }
    }

    private static bool IsWellFormedFrom(string id, int start)
    {
        for (var i = start; i < id.Length; i++)
        {
            if (char.IsHighSurrogate(id[i]) && i + 1 < id.Length && char.IsLowSurrogate(id[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(id[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Describes what is wrong with <paramref name="id"/>, or returns <see langword="null"/> when it is valid.</summary>
    /// <param name="id">The id to check.</param>
    /// <returns>A sentence naming the problem, or <see langword="null"/>.</returns>
    public static string? Validate(string? id)
    {
        if (id is null)
        {
            return "The id must not be null.";
        }

        if (id.Length == 0)
        {
            return "The id must not be empty.";
        }

        if (id.Length > MaxLength)
        {
            return $"The id is {id.Length} characters long; at most {MaxLength} are allowed.";
        }

        if (id.AsSpan().ContainsAny(s_controlCharacters))
        {
            return "The id must not contain control characters.";
        }

        if (string.IsNullOrWhiteSpace(id))
        {
            return "The id must not be white space only.";
        }

        var surrogate = id.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF');
        if (surrogate >= 0 && !IsWellFormedFrom(id, surrogate))
        {
            return "The id is not valid UTF-16: it has a lone surrogate character.";
        }

        return null;
    }
}
