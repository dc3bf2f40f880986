using Microsoft.Extensions.Options;

namespace Presence.Redis.Internal;

/// <summary>Checks <see cref="RedisPresenceStoreOptions"/> at start-up, naming the offending option in each message.</summary>
internal sealed class RedisPresenceStoreOptionsValidator : IValidateOptions<RedisPresenceStoreOptions>
{
    private const string Name = nameof(RedisPresenceStoreOptions);

    public ValidateOptionsResult Validate(string? name, RedisPresenceStoreOptions options)
    {
        var failures = Check(options);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Throws when the options are invalid: stores built without a host get the same checks.</summary>
    public static void ThrowIfInvalid(RedisPresenceStoreOptions options)
    {
        var failures = Check(options);
        if (failures.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", failures), nameof(options));
        }
    }

    private static List<string> Check(RedisPresenceStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var sources = (options.Configuration is null ? 0 : 1)
            + (options.ConfigurationOptions is null ? 0 : 1)
            + (options.ConnectionMultiplexerFactory is null ? 0 : 1);
        if (sources > 1)
        {
            failures.Add(
                $"Set only one of {Name}.{nameof(RedisPresenceStoreOptions.Configuration)}, {Name}.{nameof(RedisPresenceStoreOptions.ConfigurationOptions)} "
                + $"and {Name}.{nameof(RedisPresenceStoreOptions.ConnectionMultiplexerFactory)}; {sources} are set.");
        }

        if (options.Configuration is { } configuration && string.IsNullOrWhiteSpace(configuration))
        {
            failures.Add($"{Name}.{nameof(RedisPresenceStoreOptions.Configuration)} must not be empty.");
        }

        var prefix = options.KeyPrefix;
        if (string.IsNullOrEmpty(prefix))
        {
            failures.Add($"{Name}.{nameof(RedisPresenceStoreOptions.KeyPrefix)} must not be empty.");
        }
        else if (prefix.Length > 100)
        {
            failures.Add($"{Name}.{nameof(RedisPresenceStoreOptions.KeyPrefix)} is {prefix.Length} characters long; at most 100 are allowed.");
        }
        else if (prefix.Any(static c => c is '{' or '}' || char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            failures.Add(
                $"{Name}.{nameof(RedisPresenceStoreOptions.KeyPrefix)} ('{prefix}') must not contain '{{', '}}', white space or control characters: "
                + "the store puts its own hash tag after the prefix.");
        }

        if (options.ExpiryShards is < 1 or > 1024)
        {
            failures.Add($"{Name}.{nameof(RedisPresenceStoreOptions.ExpiryShards)} ({options.ExpiryShards}) must be between 1 and 1024.");
        }

        if (options.HeartbeatBatchSize is < 1 or > 10_000)
        {
            failures.Add($"{Name}.{nameof(RedisPresenceStoreOptions.HeartbeatBatchSize)} ({options.HeartbeatBatchSize}) must be between 1 and 10000.");
        }

        return failures;
    }
}
