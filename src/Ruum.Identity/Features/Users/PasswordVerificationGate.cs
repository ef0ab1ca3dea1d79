using Microsoft.Extensions.Options;

namespace Ruum.Identity.Features.Users;

/// <summary>
/// bcrypt is pure CPU: more concurrent verifications than cores only make every one of them slower and starve
/// token, discovery and JWKS requests. At most <see cref="PasswordOptions.MaxConcurrentVerifications"/> run;
/// the rest wait up to <see cref="PasswordOptions.VerificationQueueTimeout"/>, then are refused with 503.
/// </summary>
public sealed class PasswordVerificationGate : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly TimeSpan _queueTimeout;
    private readonly int _nice;

    public PasswordVerificationGate(IOptions<PasswordOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var capacity = options.Value.MaxConcurrentVerifications is > 0 and var configured ? configured : Environment.ProcessorCount;
        _slots = new SemaphoreSlim(capacity, capacity);
        _queueTimeout = options.Value.VerificationQueueTimeout;
        _nice = options.Value.VerificationNice;
    }

    /// <summary>
    /// Runs <paramref name="verification"/> in a slot, on a thread of its own: a 250 ms bcrypt on a thread-pool
    /// thread would block it, and with a pool as small as the core count a burst of logins stalls every request
    /// until the pool grows. The thread runs at a lower priority (<see cref="PasswordOptions.VerificationNice"/>), so a
    /// login flood that fills every slot still leaves the CPU to token and discovery requests first.
    /// </summary>
    /// <exception cref="PasswordVerificationBusyException">No slot freed up in time.</exception>
    public async Task<T> RunAsync<T>(Func<T> verification, CancellationToken cancellationToken)
    {
        using var lease = await EnterAsync(cancellationToken);
        return await Task.Factory.StartNew(() =>
        {
            // A LongRunning task gets a new thread that ends with it, so the lowered priority never leaks.
            ThreadNice.LowerCurrentThread(_nice);
            return verification();
        }, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <exception cref="PasswordVerificationBusyException">No slot freed up in time.</exception>
    public async Task<Lease> EnterAsync(CancellationToken cancellationToken)
    {
        if (!await _slots.WaitAsync(_queueTimeout, cancellationToken))
        {
            throw new PasswordVerificationBusyException();
        }
        return new Lease(_slots);
    }

    public void Dispose() => _slots.Dispose();

    public readonly struct Lease(SemaphoreSlim slots) : IDisposable
    {
        public void Dispose() => slots.Release();
    }
}

/// <summary>Every password-verification slot stayed busy for the whole queue timeout: the caller should retry shortly.</summary>
public sealed class PasswordVerificationBusyException : Exception
{
    public PasswordVerificationBusyException() : base("Too many sign-in attempts are being checked right now; retry shortly.") { }

    public PasswordVerificationBusyException(string message) : base(message) { }

    public PasswordVerificationBusyException(string message, Exception innerException) : base(message, innerException) { }
}
