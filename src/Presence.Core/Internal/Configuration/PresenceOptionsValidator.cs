using Microsoft.Extensions.Options;

namespace Presence.Internal;

/// <summary>Checks <see cref="PresenceOptions"/> at start-up, naming the offending option in each message.</summary>
internal sealed class PresenceOptionsValidator : IValidateOptions<PresenceOptions>
{
    public ValidateOptionsResult Validate(string? name, PresenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string Section = PresenceOptions.SectionName;

        RequirePositive(failures, $"{Section}:{nameof(PresenceOptions.HeartbeatInterval)}", options.HeartbeatInterval);
        RequirePositive(failures, $"{Section}:{nameof(PresenceOptions.ConnectionTtl)}", options.ConnectionTtl);
        RequirePositive(failures, $"{Section}:{nameof(PresenceOptions.SweepInterval)}", options.SweepInterval);

        if (options.HeartbeatInterval > TimeSpan.Zero && options.ConnectionTtl > TimeSpan.Zero
            && options.ConnectionTtl <= options.HeartbeatInterval)
        {
            failures.Add(
                $"{Section}:{nameof(PresenceOptions.ConnectionTtl)} ({options.ConnectionTtl}) must be greater than "
                + $"{Section}:{nameof(PresenceOptions.HeartbeatInterval)} ({options.HeartbeatInterval}), or healthy clients expire between pings.");
        }

        RequirePositive(failures, $"{Section}:{nameof(PresenceOptions.LastSeenRetention)}", options.LastSeenRetention, allowDays: true);
        if (options.OfflineGracePeriod < TimeSpan.Zero)
        {
            failures.Add($"{Section}:{nameof(PresenceOptions.OfflineGracePeriod)} ({options.OfflineGracePeriod}) must not be negative.");
        }
        else if (options.OfflineGracePeriod.TotalMilliseconds > int.MaxValue)
        {
            failures.Add($"{Section}:{nameof(PresenceOptions.OfflineGracePeriod)} ({options.OfflineGracePeriod}) must be shorter than {TimeSpan.FromMilliseconds(int.MaxValue)}.");
        }

        if (options.SweepBatchSize < 1)
        {
            failures.Add($"{Section}:{nameof(PresenceOptions.SweepBatchSize)} ({options.SweepBatchSize}) must be at least 1.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void RequirePositive(List<string> failures, string name, TimeSpan value, bool allowDays = false)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{name} ({value}) must be positive.");
        }
        else if (!allowDays && value.TotalMilliseconds > int.MaxValue)
        {
            failures.Add($"{name} ({value}) must be shorter than {TimeSpan.FromMilliseconds(int.MaxValue)}.");
        }
    }
}
