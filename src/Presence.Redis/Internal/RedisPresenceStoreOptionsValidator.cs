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

        if (options.Configuration is { } configuration)
        {
            if (string.IsNullOrWhiteSpace(configuration))
            {
                failures.Add($"{Name}.{nameof(RedisPresenceStoreOptions.Configuration)} must not be empty.");
            }
            else if (DescribeBadConfiguration(configuration) is { } problem)
            {
                failures.Add(problem);
            }
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

    /// <summary>What is wrong with a StackExchange.Redis configuration string, or <see langword="null"/> when it names at least one valid endpoint.</summary>
    private static string? DescribeBadConfiguration(string configuration)
    {
        const string Option = Name + "." + nameof(RedisPresenceStoreOptions.Configuration);
        if (Uri.TryCreate(configuration.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "redis" or "rediss")
        {
            var port = uri.IsDefaultPort || uri.Port < 0 ? 6379 : uri.Port;
            var example = $"{uri.Host}:{port}" + (uri.Scheme == "rediss" ? ",ssl=true" : string.Empty) + (uri.UserInfo.Length > 0 ? ",password=..." : string.Empty);
            return $"{Option} ('{configuration}') is a URL; StackExchange.Redis takes a configuration string such as '{example}' (host:port, then comma-separated options).";
        }

        StackExchange.Redis.ConfigurationOptions parsed;
        try
        {
            parsed = StackExchange.Redis.ConfigurationOptions.Parse(configuration);
        }
        catch (ArgumentException exception)
        {
            return $"{Option} ('{configuration}') is not a valid StackExchange.Redis configuration string: {exception.Message}";
        }

        if (parsed.EndPoints.Count == 0)
        {
            return $"{Option} ('{configuration}') names no Redis endpoint; write host:port, for example '127.0.0.1:6379'.";
        }

        foreach (var part in configuration.Split(','))
        {
            var item = part.Trim();
            var colon = item.LastIndexOf(':');
            if (item.Length > 0 && !item.Contains('=', StringComparison.Ordinal) && colon > 0
                && !item.Contains(']', StringComparison.Ordinal) && item.IndexOf(':') == colon
                && !int.TryParse(item.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
            {
                return $"{Option} ('{configuration}'): '{item}' has no valid port; write host:port, for example '127.0.0.1:6379'.";
            }
        }

        return null;
    }
}
