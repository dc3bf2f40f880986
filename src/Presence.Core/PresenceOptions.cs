using System.ComponentModel.DataAnnotations;

namespace Presence;

/// <summary>
/// Timing and limits of presence tracking. Bound from the configuration section
/// <see cref="SectionName"/> (for example <c>Presence__ConnectionTtl=00:01:00</c>), then the
/// delegate passed to <c>AddPresence</c>; validated when the host starts. Time spans are written
/// <c>hh:mm:ss</c> (or <c>d.hh:mm:ss</c>) in configuration: a plain number such as <c>60</c> is read as
/// 60 <em>days</em>. Timer-driven spans are limited to 24.20:31:23.647 (the most a timer accepts).
/// </summary>
public sealed class PresenceOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "Presence";

    /// <summary>How often clients are expected to send <c>presence:ping</c>.</summary>
    /// <value>The default value is 25 seconds (the reference client's interval).</value>
    [Range(typeof(TimeSpan), "00:00:00.001", "24.20:31:23.6470000")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>
    /// How long a connection stays alive after its last heartbeat (or its connect). Must be greater
    /// than <see cref="HeartbeatInterval"/> so one late ping does not expire a healthy client.
    /// </summary>
    /// <value>The default value is 60 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.001", "24.20:31:23.6470000")]
    public TimeSpan ConnectionTtl { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often the background sweeper removes expired connections. A dead connection is gone within <see cref="ConnectionTtl"/> + <see cref="SweepInterval"/>.</summary>
    /// <value>The default value is 1 second.</value>
    [Range(typeof(TimeSpan), "00:00:00.001", "24.20:31:23.6470000")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a user whose last connection closed still counts as online. A user who reconnects
    /// within it (a page reload, a flaky network) causes no offline/online pair at all; one who does
    /// not is reported offline (reason <c>disconnected</c>, stamped with the real disconnect time)
    /// when it ends. Zero reports the disconnect at once.
    /// </summary>
    /// <value>The default value is zero (no grace period).</value>
    [Range(typeof(TimeSpan), "00:00:00", "24.20:31:23.6470000")]
    public TimeSpan OfflineGracePeriod { get; set; } = TimeSpan.Zero;

    /// <summary>How long the store remembers when an offline user was last seen.</summary>
    /// <value>The default value is 30 days.</value>
    [Range(typeof(TimeSpan), "00:00:00.001", "10675199.02:48:05.4775807")]
    public TimeSpan LastSeenRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The most expired connections removed per store call during a sweep; a sweep repeats calls until none remain.</summary>
    /// <value>The default value is 1000.</value>
    [Range(1, int.MaxValue)]
    public int SweepBatchSize { get; set; } = 1000;
}
