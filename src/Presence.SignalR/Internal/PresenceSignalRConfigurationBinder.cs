using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Presence.SignalR.Internal;

/// <summary>Binds <see cref="PresenceSignalROptions"/> from <c>Presence:SignalR</c> when the container has an <see cref="IConfiguration"/>.</summary>
internal sealed class PresenceSignalRConfigurationBinder(IServiceProvider services) : IConfigureOptions<PresenceSignalROptions>
{
    public void Configure(PresenceSignalROptions options)
    {
        if (services.GetService(typeof(IConfiguration)) is IConfiguration configuration)
        {
            configuration.GetSection(PresenceSignalROptions.SectionName).Bind(options);
        }
    }
}
