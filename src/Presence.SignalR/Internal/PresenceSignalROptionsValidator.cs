using Microsoft.Extensions.Options;

namespace Presence.SignalR.Internal;

/// <summary>Checks <see cref="PresenceSignalROptions"/> at start-up, naming the offending option in each message.</summary>
internal sealed class PresenceSignalROptionsValidator : IValidateOptions<PresenceSignalROptions>
{
    public const int MaxSubscriptionSizeLimit = 10_000;

    public ValidateOptionsResult Validate(string? name, PresenceSignalROptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string Section = PresenceSignalROptions.SectionName;

        if (options.MaxSubscriptionSize is < 1 or > MaxSubscriptionSizeLimit)
        {
            failures.Add(
                $"{Section}:{nameof(PresenceSignalROptions.MaxSubscriptionSize)} ({options.MaxSubscriptionSize}) must be between 1 and {MaxSubscriptionSizeLimit}.");
        }

        if (options.RateLimitWindow <= TimeSpan.Zero || options.RateLimitWindow > TimeSpan.FromHours(1))
        {
            failures.Add(
                $"{Section}:{nameof(PresenceSignalROptions.RateLimitWindow)} ({options.RateLimitWindow}) must be positive and at most one hour.");
        }

        RequireNotNegative(failures, $"{Section}:{nameof(PresenceSignalROptions.PingRateLimit)}", options.PingRateLimit);
        RequireNotNegative(failures, $"{Section}:{nameof(PresenceSignalROptions.SubscribeRateLimit)}", options.SubscribeRateLimit);
        RequireNotNegative(failures, $"{Section}:{nameof(PresenceSignalROptions.StatusRateLimit)}", options.StatusRateLimit);

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void RequireNotNegative(List<string> failures, string name, int value)
    {
        if (value < 0)
        {
            failures.Add($"{name} ({value}) must be zero (no limit) or positive.");
        }
    }
}
