using System.Globalization;

namespace Ruum.Identity.Features.Tokens;

/// <summary>
/// <c>keys list</c> shows the database's signing keys; <c>keys rotate</c> begins a rotation (the new key signs after
/// <see cref="SigningOptions.ActivationDelay"/>); <c>keys rotate --now</c>, for a leaked key, signs with a new key at
/// once and revokes the others, so JWKS drops them and APIs refuse their tokens at their next key refresh. Running
/// servers follow within <see cref="SigningKeyRing.RefreshInterval"/>.
/// </summary>
public static class SigningKeysCommand
{
    public static bool Matches(string[] args) => args is [.., "keys", "list"] or [.., "keys", "rotate"] or [.., "keys", "rotate", "--now"];

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var ring = services.GetRequiredService<SigningKeyRing>();
        await using var scope = services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<SigningKeyStore>();
        if (args is [.., "rotate"] or [.., "rotate", "--now"])
        {
            if (!ring.FromDatabase)
            {
                await output.WriteLineAsync($"{SigningOptions.Section}:Keys is set: configured keys take precedence over the database's key set. "
                    + "Rotate them in configuration (publish the new key second, then first), or remove them to use the database's keys.");
                return 1;
            }
            var now = args[^1] == "--now";
            var key = await store.RotateAsync(now, cancellationToken);
            ring.Invalidate();
            await output.WriteLineAsync(now
                ? $"Key {key.Id} signs from now on; every older key is revoked and gone from JWKS. Servers follow within {SigningKeyRing.RefreshInterval.TotalSeconds:0} s."
                : $"Key {key.Id} is published now and signs from {Format(key.ActivatesAt)}; older keys stay in JWKS until their tokens have expired.");
        }
        if (!ring.FromDatabase)
        {
            await output.WriteLineAsync($"{SigningOptions.Section}:Keys is set: the configured keys sign and the database's key set is not used.");
        }
        var at = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var keys = await store.ReadAsync(cancellationToken);
        var signing = SigningKeyStore.SigningAt(keys, at);
        await output.WriteLineAsync("id                                           algorithm  state     created               signs from            retires/revoked");
        foreach (var key in keys.OrderByDescending(k => k.CreatedAt))
        {
            var state = key.RevokedAt is not null ? "revoked"
                : !key.IsPublishedAt(at) ? "removed"
                : key == signing ? "signing"
                : key.ActivatesAt > at ? "next"
                : "retiring";
            await output.WriteLineAsync(string.Join("  ", key.Id.PadRight(43), key.Algorithm.PadRight(9), state.PadRight(8),
                Format(key.CreatedAt), Format(key.ActivatesAt), key.RevokedAt is { } revoked ? Format(revoked) : key.RetiresAt is { } retires ? Format(retires) : "-"));
        }
        return 0;
    }

    private static string Format(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture).PadRight(20);
}
