using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Infrastructure.DataProtection;

/// <summary>
/// Data Protection creates its first key when an instance first finds the key ring empty: two instances starting
/// together on a new database each created one, and each could not read what the other protected (a form's
/// anti-forgery token, a cookie) until it read the ring again. The first key is made with the schema instead, by
/// whoever migrates (one at a time: the start-up advisory lock, or the <c>migrate</c> command before instances start),
/// so every instance finds it.
/// </summary>
internal static class FirstKey
{
    public static async Task CreateIfNoneAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        if (await scope.ServiceProvider.GetRequiredService<RuumDbContext>().DataProtectionKeys.AnyAsync(cancellationToken))
        {
            return;
        }
        // As Data Protection makes a first key: active at once, for the configured lifetime (default 90 days).
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var lifetime = services.GetRequiredService<IOptions<KeyManagementOptions>>().Value.NewKeyLifetime;
        services.GetRequiredService<IKeyManager>().CreateNewKey(now, now + lifetime);
    }
}
