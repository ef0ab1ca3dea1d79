using Microsoft.Extensions.Caching.Memory;

namespace Ruum.Identity.Features.Clients;

public static class ClientsSetup
{
    /// <summary>Client credential checks; called by <c>AddRuumTokens</c>, which registers the manager with OpenIddict.</summary>
    internal static IServiceCollection AddRuumClientSecrets(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ClientOptions>().Bind(configuration.GetSection(ClientOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ClientSecretHasher>();
        services.AddSingleton<ServiceClientCache>();
        services.AddMemoryCache();
        services.AddOptions<MemoryCacheOptions>().Configure<TimeProvider>((cache, time) => cache.Clock = new CacheClock(time));
        return services;
    }
}
