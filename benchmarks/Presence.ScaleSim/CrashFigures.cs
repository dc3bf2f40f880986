namespace Presence.ScaleSim;

/// <summary>How the crashed node's users were announced offline by the survivors.</summary>
/// <param name="Expected">The crashed node's open connections (one user each).</param>
/// <param name="Announced">Users announced offline at least once.</param>
/// <param name="Duplicates">Announcements beyond the first, summed over users.</param>
/// <param name="Misses">Users never announced offline.</param>
/// <param name="OnlineAgain">Online events for the crashed node's users after the crash.</param>
/// <param name="FirstSeconds">Crash to the first announcement.</param>
/// <param name="LastSeconds">Crash to the last announcement.</param>
internal sealed record CrashFigures(long Expected, long Announced, long Duplicates, long Misses, long OnlineAgain, double FirstSeconds, double LastSeconds);
