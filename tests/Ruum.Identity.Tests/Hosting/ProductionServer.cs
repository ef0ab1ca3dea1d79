using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Hosting;

/// <summary>
/// The server in the Production environment with every required secret configured (each test removes or
/// spoils one), behind a "proxy" at 127.0.0.1: the test client itself, which says the request came over HTTPS.
/// </summary>
public static class ProductionServer
{
    public const string PublicHost = "id.ruum.test";
    public const string Issuer = "https://" + PublicHost + "/";
    public const string ClientAddress = "198.51.100.7";

    private static readonly Lazy<string> KeyProtectionCertificate = new(CreateCertificatePem);

    public static Dictionary<string, string?> CompleteSettings() => new(StringComparer.OrdinalIgnoreCase)
    {
        ["Ruum:Tokens:Issuer"] = Issuer,
        // The issuer's host, and the loopback address health probes and plain clients use (as Docker's HEALTHCHECK uses localhost).
        ["AllowedHosts"] = PublicHost + ";127.0.0.1",
        ["Ruum:Passwords:Pepper"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["Ruum:DataProtection:Certificates:0:Pem"] = KeyProtectionCertificate.Value,
        ["Ruum:Session:SecureCookies"] = null,
        ["Ruum:Database:MigrateOnStartup"] = "true",
        ["Ruum:Proxy:KnownProxies:0"] = "127.0.0.1",
        ["Ruum:Otp:HashingKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["Ruum:Clients:SecretHashKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["Ruum:Email:SmtpHost"] = "smtp.ruum.test",
    };

    public static Task<RuumServer> StartAsync(IDictionary<string, string?>? overrides = null, Action<IWebHostBuilder>? configure = null)
    {
        var settings = CompleteSettings();
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        return RuumServer.StartAsync(settings, web =>
        {
            web.UseEnvironment("Production");
            configure?.Invoke(web);
        });
    }

    /// <summary>A client whose requests arrive as Render's proxy forwards them: HTTPS, public host, a client address.</summary>
    public static HttpClient CreateProxiedClient(this RuumServer server) =>
        new(new ProxyHeaders(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }))
        {
            BaseAddress = server.BaseAddress,
        };

    /// <summary>Every message of an exception and its inner and aggregated exceptions, for start-up failures.</summary>
    public static string AllMessages(Exception exception) => exception switch
    {
        AggregateException aggregate => string.Join(" | ", aggregate.InnerExceptions.Select(AllMessages)),
        { InnerException: { } inner } => exception.Message + " | " + AllMessages(inner),
        _ => exception.Message,
    };

    private static string CreateCertificatePem()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=Ruum Identity Data Protection", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        return certificate.ExportCertificatePem() + "\n" + rsa.ExportPkcs8PrivateKeyPem();
    }

    private sealed class ProxyHeaders(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Host = PublicHost;
            request.Headers.Add("X-Forwarded-Proto", "https");
            request.Headers.Add("X-Forwarded-For", ClientAddress);
            if (request.Headers.AcceptLanguage.Count == 0)
            {
                request.Headers.AcceptLanguage.ParseAdd(RuumServer.TestLanguage);
            }
            return base.SendAsync(request, cancellationToken);
        }
    }
}
