using System.Globalization;
using Microsoft.Extensions.Options;

namespace Presence.Internal;

/// <summary>
/// Checks <see cref="PresenceOptions"/> at start-up: the ranges declared on the options (through the
/// generated <see cref="PresenceOptionsRangeValidator"/>), then the rules between options that no
/// single range states. Every message names the option by its configuration key (<c>Presence:ConnectionTtl</c>)
/// and the value that was read.
/// </summary>
internal sealed class PresenceOptionsValidator : IValidateOptions<PresenceOptions>
{
    private const string TimeSpanHint = "a time span is written hh:mm:ss, or d.hh:mm:ss; a plain number such as 60 is read as 60 days";

    private readonly PresenceOptionsRangeValidator _ranges = new();

    public ValidateOptionsResult Validate(string? name, PresenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var ranges = _ranges.Validate(name, options);
        if (ranges.Failed)
        {
            return ValidateOptionsResult.Fail(ranges.Failures!.Select(f => Describe(f, options)));
        }

        if (options.ConnectionTtl <= options.HeartbeatInterval)
        {
            return ValidateOptionsResult.Fail(
                $"{Key(nameof(PresenceOptions.ConnectionTtl))} ({options.ConnectionTtl}) must be greater than "
                + $"{Key(nameof(PresenceOptions.HeartbeatInterval))} ({options.HeartbeatInterval}), or healthy clients expire between pings.");
        }

        return ValidateOptionsResult.Success;
    }

    private static string Key(string member) => $"{PresenceOptions.SectionName}:{member}";

    /// <summary>Restates a generated failure (<c>"Member: The field PresenceOptions.Member must be ..."</c>) with the key, the value read and, for a time span, how to write one.</summary>
    private static string Describe(string failure, PresenceOptions options)
    {
        var colon = failure.IndexOf(':', StringComparison.Ordinal);
        var must = failure.IndexOf(" must ", StringComparison.Ordinal);
        if (colon <= 0 || must < 0)
        {
            return failure;
        }

        var member = failure[..colon];
        object? value = typeof(PresenceOptions).GetProperty(member)?.GetValue(options);
        var rule = failure[(must + 1)..].TrimEnd('.');
        var hint = value is TimeSpan ? $" ({TimeSpanHint})" : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"{Key(member)} ({value}) {rule}{hint}.");
    }
}
