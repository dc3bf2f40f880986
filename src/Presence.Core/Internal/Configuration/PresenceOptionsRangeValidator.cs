using Microsoft.Extensions.Options;

namespace Presence.Internal;

/// <summary>Checks the ranges declared on <see cref="PresenceOptions"/>; generated at build time.</summary>
[OptionsValidator]
internal sealed partial class PresenceOptionsRangeValidator : IValidateOptions<PresenceOptions>;
