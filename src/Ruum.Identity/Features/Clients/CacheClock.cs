using Microsoft.Extensions.Internal;

namespace Ruum.Identity.Features.Clients;

/// <summary>
/// The in-memory caches (clients, scope resources, CORS origins) expire by the server's <see cref="TimeProvider"/>, not
/// the wall clock, so the window within which another instance's change counts (<see cref="ClientOptions.CacheDuration"/>)
/// is measured by the same clock as everything else.
/// </summary>
internal sealed class CacheClock(TimeProvider time) : ISystemClock
{
    public DateTimeOffset UtcNow => time.GetUtcNow();
}
