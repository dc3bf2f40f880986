using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Presence.Internal;

/// <summary>
/// Binds <see cref="PresenceOptions"/> from the <c>Presence</c> section when the container has an
/// <see cref="IConfiguration"/> (any generic or web host), and does nothing otherwise.
/// </summary>
internal sealed class PresenceConfigurationBinder(IServiceProvider services) : IConfigureOptions<PresenceOptions>
{
    public void Configure(PresenceOptions options)
    {
        if (services.GetService(typeof(IConfiguration)) is IConfiguration configuration)
        {
            configuration.GetSection(PresenceOptions.SectionName).Bind(options);
        }
    }
}
