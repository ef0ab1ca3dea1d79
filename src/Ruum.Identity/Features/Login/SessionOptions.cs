namespace Ruum.Identity.Features.Login;

/// <summary><c>Ruum:Session</c>: the browser session at this server after sign-in.</summary>
public sealed class SessionOptions
{
    public const string Section = "Ruum:Session";

    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromHours(1);
    public TimeSpan AbsoluteTimeout { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How recent the password and second factor must be for a credential change (authenticator, recovery codes,
    /// password): older, the page asks for both again first (ASVS 5.0 V7.5.1).
    /// </summary>
    public TimeSpan ReauthenticationWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Secure, <c>__Host-</c> cookies. Only plain-HTTP local development turns this off.</summary>
    public bool SecureCookies { get; set; } = true;

    public string CookieName(string name) => SecureCookies ? "__Host-" + name : name;
}
