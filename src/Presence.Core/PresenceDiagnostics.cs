namespace Presence;

/// <summary>Names to subscribe to Presence's telemetry (for example with OpenTelemetry's <c>AddMeter</c>).</summary>
public static class PresenceDiagnostics
{
    /// <summary>The name of the <see cref="System.Diagnostics.Metrics.Meter"/> every Presence package reports on.</summary>
    /// <value><c>Presence</c>.</value>
    public const string MeterName = "Presence";
}
