using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Presence;

/// <summary>The well-known user statuses and the rule every status follows.</summary>
/// <remarks>A status is any non-blank string of at most <see cref="MaxLength"/> characters without control characters.</remarks>
public static class PresenceStatus
{
    /// <summary>The longest status accepted.</summary>
    /// <value>64.</value>
    public const int MaxLength = 64;

    /// <summary>The user is available (the implied status of an online user who set none).</summary>
    public const string Available = "available";

    /// <summary>The user is away.</summary>
    public const string Away = "away";

    /// <summary>The user is busy (do not disturb).</summary>
    public const string Busy = "busy";

    /// <summary>Describes what is wrong with a status, or returns <see langword="null"/> when it is valid.</summary>
    /// <param name="status">The status to check.</param>
    /// <returns>A sentence naming the problem, or <see langword="null"/>.</returns>
    public static string? Validate(string? status)
    {
        if (status is null)
        {
            return "The status must not be null.";
        }

        if (status.Length > MaxLength)
        {
            return $"The status is {status.Length} characters long; at most {MaxLength} are allowed.";
        }

        var problem = PresenceId.Validate(status);
        return problem?.Replace("The id", "The status", StringComparison.Ordinal);
    }

    /// <summary>Throws when <paramref name="status"/> is not a valid status.</summary>
    /// <param name="status">The status to check.</param>
    /// <param name="paramName">The parameter's name, filled in by the compiler.</param>
    /// <exception cref="ArgumentNullException"><paramref name="status"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="status"/> is blank, too long or has a control character.</exception>
    public static void ThrowIfInvalid([NotNull] string? status, [CallerArgumentExpression(nameof(status))] string? paramName = null)
    {
        if (status is null)
        {
            throw new ArgumentNullException(paramName);
        }

        var problem = Validate(status);
        if (problem is not null)
        {
            throw new ArgumentException(problem, paramName);
        }
    }
}
