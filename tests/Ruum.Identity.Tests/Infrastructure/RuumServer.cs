using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Tests.Infrastructure;

/// <summary>
/// The real server on a loopback port (Kestrel, real HTTP), in Development with its seed, on its own
/// database. Settings override configuration like environment variables would; a null value removes a
/// default. <c>configure</c> runs last (another environment, extra services or logger providers).
/// </summary>
public sealed class RuumServer : WebApplicationFactory<Program>
{
    private static readonly string SharedSigningKey = CreateRsaPem();

    private readonly Dictionary<string, string?> _settings;

    /// <summary>Defaults the caller removed (a null value): another instance or a restart removes them too.</summary>
    private readonly HashSet<string> _removed = new(StringComparer.OrdinalIgnoreCase);
    private readonly int _port;
    private readonly Action<IWebHostBuilder>? _configure;

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>Every log line the server wrote, rendered, with its structured values.</summary>
    public LogCapture Logs { get; } = new();

    public Uri BaseAddress { get; }

    public string ConnectionString { get; }

    /// <summary>Where this server's Development mail (emailed sign-in codes) lands as .eml files.</summary>
    public string MailFolder { get; } = Path.Combine(Path.GetTempPath(), "ruum-mail-" + Guid.NewGuid().ToString("N"));

    private RuumServer(string connectionString, string provider, IDictionary<string, string?>? settings,
        Action<IWebHostBuilder>? configure = null, int port = 0)
    {
        ConnectionString = connectionString;
        _configure = configure;
        _port = port;
        _settings = new(StringComparer.OrdinalIgnoreCase)
        {
            ["Ruum:Database:Provider"] = provider,
            ["ConnectionStrings:Default"] = connectionString,
            ["Ruum:Signing:Keys:0:Pem"] = SharedSigningKey,
            ["Ruum:Signing:EncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Ruum:Passwords:WorkFactor"] = "4",
            ["Ruum:Session:SecureCookies"] = "false",
            ["Ruum:Email:PickupFolder"] = MailFolder,
            // Every test in a class shares 127.0.0.1 and the seeded clients; rate-limit tests set their own low limits.
            ["Ruum:Lockout:LoginRequestsPerWindow"] = "100000",
            ["Ruum:Lockout:CodeRequestsPerWindow"] = "100000",
            ["Ruum:Lockout:ClientAuthenticationFailuresPerWindow"] = "100000",
        };
        // A null value removes a default instead of overriding it.
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                _settings.Remove(key);
                _removed.Add(key);
            }
            else
            {
                _settings[key] = value;
            }
        }
        UseKestrel(port);
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
    }

    public static async Task<RuumServer> StartAsync(IDictionary<string, string?>? settings = null,
        Action<IWebHostBuilder>? configure = null) =>
        new(await TestDatabase.CreateAsync(), "PostgreSQL", settings, configure);

    /// <summary>
    /// The same server started again (same port, database and settings, plus <paramref name="changes"/>), as after a
    /// deployment. Dispose <paramref name="previous"/> first: the port must be free.
    /// </summary>
    public static RuumServer Restart(RuumServer previous, IDictionary<string, string?>? changes = null)
    {
        ArgumentNullException.ThrowIfNull(previous);
        var settings = previous.SettingsWithRemovals();
        foreach (var (key, value) in changes ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        return new(previous.ConnectionString, settings["Ruum:Database:Provider"]!, settings, previous._configure, previous.BaseAddress.Port);
    }

    /// <summary>
    /// Another instance beside <paramref name="first"/> (same database and settings, its own port), as behind a load
    /// balancer, at the same moment: each server's clock stands still where it was set, and two servers made either
    /// side of a full minute or hour would count rate limits in two windows (a CI run at 00:00 UTC did).
    /// </summary>
    public static RuumServer StartSecondInstance(RuumServer first)
    {
        ArgumentNullException.ThrowIfNull(first);
        var second = new RuumServer(first.ConnectionString, first._settings["Ruum:Database:Provider"]!, first.SettingsWithRemovals(), first._configure);
        var (behind, ahead) = first.Clock.GetUtcNow() < second.Clock.GetUtcNow() ? (first, second) : (second, first);
        behind.Clock.SetUtcNow(ahead.Clock.GetUtcNow());
        return second;
    }

    private Dictionary<string, string?> SettingsWithRemovals()
    {
        var settings = new Dictionary<string, string?>(_settings, StringComparer.OrdinalIgnoreCase);
        foreach (var key in _removed)
        {
            settings[key] = null;
        }
        return settings;
    }

    /// <summary>A server on an existing database (say, one another instance is starting on at the same moment).</summary>
    public static RuumServer StartOn(string connectionString, IDictionary<string, string?>? settings = null) =>
        new(connectionString, "PostgreSQL", settings);

    public static RuumServer StartOnSqlite(IDictionary<string, string?>? settings = null) =>
        new($"Data Source={Path.Combine(Path.GetTempPath(), "ruum-test-" + Guid.NewGuid().ToString("N") + ".db")}", "Sqlite", settings);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(Logs);
        });
        builder.UseUrls($"http://127.0.0.1:{_port}");
        _configure?.Invoke(builder);
    }

    /// <summary>
    /// The pages speak Spanish unless asked otherwise; tests read English, so clients send
    /// <c>Accept-Language: en</c> unless a test passes another language (or null: no header at all).
    /// </summary>
    public const string TestLanguage = "en";

    /// <summary>A client that does not follow redirects and keeps its own cookies, like one browser.</summary>
    public HttpClient CreateBrowserLikeClient(System.Net.CookieContainer? cookies = null, string? language = TestLanguage) =>
        Speaking(new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = cookies ?? new() })
        {
            BaseAddress = BaseAddress,
        }, language);

    public HttpClient CreatePlainClient(string? language = TestLanguage) => Speaking(new() { BaseAddress = BaseAddress }, language);

    private static HttpClient Speaking(HttpClient client, string? language)
    {
        if (language is not null)
        {
            client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        }
        return client;
    }

    public async Task WithDatabaseAsync(Func<RuumDbContext, Task> action)
    {
        await using var scope = Services.CreateAsyncScope();
        await action(scope.ServiceProvider.GetRequiredService<RuumDbContext>());
    }

    public async Task<T> WithDatabaseAsync<T>(Func<RuumDbContext, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<RuumDbContext>());
    }

    public async Task WithServicesAsync(Func<IServiceProvider, Task> action)
    {
        await using var scope = Services.CreateAsyncScope();
        await action(scope.ServiceProvider);
    }

    private static string CreateRsaPem()
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportPkcs8PrivateKeyPem();
    }
}

/// <summary>One server for a whole test class; tests create their own data in it.</summary>
public sealed class RuumServerFixture : IAsyncLifetime
{
    public RuumServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await RuumServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
