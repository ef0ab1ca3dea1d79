using Microsoft.AspNetCore.DataProtection.KeyManagement.Internal;

namespace Ruum.Identity.Infrastructure.DataProtection;

/// <summary>
/// Data Protection loads its key ring (from the database) in a hosted service that runs before Kestrel listens: with
/// EF Core's and Npgsql's first query that was about 0.7 s of every start on a 2-core host, for keys that nothing a
/// new instance answers first (discovery, JWKS, tokens) needs. The ring loads right after start instead, in the
/// background; a request that needs it before then (a sign-in page) waits for it, as it would have.
/// </summary>
public static class KeyRingWarmUp
{
    /// <summary>Data Protection's internal start-up service, found by name (it is internal); a guard test checks the name.</summary>
    internal const string StartupLoadTypeName = "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService";

    /// <summary>Call after every other registration: each <c>AddDataProtection()</c> adds the start-up load again.</summary>
    public static WebApplicationBuilder LoadKeyRingAfterStart(this WebApplicationBuilder builder)
    {
        var startupLoad = builder.Services.Where(service => service.ServiceType == typeof(IHostedService)
            && service.ImplementationType?.FullName == StartupLoadTypeName).ToList();
        startupLoad.ForEach(service => builder.Services.Remove(service));
        return builder;
    }

    /// <summary>What Data Protection's hosted service did: load (or create) the ring once; a failure is logged, and retried by the first request.</summary>
    public static void Load(IServiceProvider services)
    {
        try
        {
            services.GetRequiredService<IKeyRingProvider>().GetCurrentKeyRing();
        }
        catch (Exception exception)
        {
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(KeyRingWarmUp))
                .LogWarning(exception, "The Data Protection key ring could not be loaded after start; the first request that needs it will try again.");
        }
    }
}
