using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Ruum.Identity.Features.Admin.Bootstrap;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Login;
using Ruum.Identity.Features.Seed;
using Ruum.Identity.Features.Tokens;
using Ruum.Identity.Infrastructure.Database;
using Ruum.Identity.Infrastructure.DataProtection;
using Ruum.Identity.Infrastructure.Monitoring;

namespace Ruum.Identity.Infrastructure.Hosting;

public static class HostingSetup
{
    /// <summary>Forms and token requests need a few KB; Kestrel's 30 MB default only invites abuse.</summary>
    public const long MaxRequestBodyBytes = 64 * 1024;

    public static WebApplicationBuilder AddRuumHosting(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
        });
        builder.Services.Configure<FormOptions>(form =>
        {
            form.ValueLengthLimit = 16 * 1024;
            form.ValueCountLimit = 64;
            form.KeyLengthLimit = 256;
            form.MultipartBodyLengthLimit = MaxRequestBodyBytes;
        });
        builder.Services.AddRazorPages(pages => pages.RootDirectory = "/Features");
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<UnreadableRequestHandler>();
        builder.Services.AddExceptionHandler<DatabaseUnavailableHandler>();
        builder.AddRuumTransport();
        builder.AddRuumHealth();
        if (builder.Environment.IsDevelopment() || builder.Configuration.GetValue<bool>($"{DatabaseOptions.Section}:MigrateOnStartup"))
        {
            // First of all hosted services: Data Protection reads its key ring from the database as it starts.
            builder.Services.Insert(0, ServiceDescriptor.Singleton<IHostedService, DatabaseStartup>());
        }
        return builder;
    }

    /// <summary>Order matters: the real scheme and client first, then headers and the correlation id that error responses need too.</summary>
    public static WebApplication UseRuumHosting(this WebApplication app)
    {
        app.UseRuumTransport();
        app.UseRuumSecurityHeaders();
        app.UseRuumCorrelation();
        app.UseExceptionHandler();
        // People get an HTML page; programs get RFC 9457 problem+json (AddProblemDetails).
        app.UseWhen(IsBrowserRequest, browser => browser.UseStatusCodePagesWithReExecute("/error/{0}"));
        app.UseWhen(context => !IsBrowserRequest(context), api => api.UseStatusCodePages());
        app.UseStaticFiles();
        app.UseRouting();
        return app;
    }

    internal static bool IsBrowserRequest(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/connect/authorize") || context.Request.Path.StartsWithSegments("/connect/endsession")
        || context.Request.Path.StartsWithSegments("/account") || context.Request.Path == "/"
        || context.Request.Path.StartsWithSegments("/admin");

    /// <summary>
    /// <c>migrate</c> applies migrations and exits: Production's only way to change the schema (Render's pre-deploy
    /// command). It uses <c>ConnectionStrings:Migrations</c> when set, else <c>ConnectionStrings:Default</c>.
    /// Then it applies the clients and scopes declared in <c>Ruum:Provisioning</c> (see <see cref="Provisioning"/>).
    /// <c>audit verify</c> checks the audit log's hash chain and exits non-zero at the first broken or missing link.
    /// <c>audit export --from --to [--company] --format csv|jsonl --output FILE</c> writes a time range of it to a file.
    /// <c>bootstrap --admin-email</c> creates the first platform admin and the automation client (see <see cref="BootstrapCommand"/>).
    /// <c>keys list</c>, <c>keys rotate</c> and <c>keys rotate --now</c> manage the database's signing keys;
    /// <c>revoke --all|--user EMAIL|--company ID|--client ID</c> ends sessions and tokens in an incident.
    /// </summary>
    public static async Task<int> RunRuumAsync(this WebApplication app, string[] args)
    {
        if (args.Contains("migrate"))
        {
            await app.Services.MigrateRuumDatabaseAsync(app.Configuration.GetConnectionString("Migrations"));
            Console.WriteLine("Migrations applied.");
            return await Provisioning.ApplyAsync(app.Services, Console.Out);
        }
        if (args.Contains("bootstrap"))
        {
            return await BootstrapCommand.RunAsync(app.Services, args, Console.Out);
        }
        if (args is [.., "audit", "verify"])
        {
            return await AuditVerifyCommand.RunAsync(app.Services, Console.Out);
        }
        if (Array.IndexOf(args, "audit") is var audit and >= 0 && audit + 1 < args.Length && args[audit + 1] == "export")
        {
            return await AuditExportCommand.RunAsync(app.Services, args[(audit + 2)..], Console.Out, Console.Error);
        }
        if (SigningKeysCommand.Matches(args))
        {
            return await SigningKeysCommand.RunAsync(app.Services, args, Console.Out);
        }
        if (RevokeCommand.Matches(args))
        {
            return await RevokeCommand.RunAsync(app.Services, args, Console.Out);
        }

        if (app.Environment.IsDevelopment())
        {
            app.Lifetime.ApplicationStarted.Register(() => PrintWelcome(app));
        }
        // Once listening: the key ring (see KeyRingWarmUp), then one aggressive collection, since start-up (migration
        // check, seed, the key ring's first query) leaves garbage the GC would keep committed until load arrives.
        app.Lifetime.ApplicationStarted.Register(() => _ = Task.Run(() =>
        {
            KeyRingWarmUp.Load(app.Services);
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }));
        await app.RunAsync();
        return 0;
    }

    // Printed, not logged: the development password is public, but log sinks must never see one.
    private static void PrintWelcome(WebApplication app)
    {
        var configured = app.Services.GetRequiredService<IOptions<TokenOptions>>().Value.Issuer;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        var issuer = configured?.ToString() ?? (address is null ? "(unknown)" : address.TrimEnd('/') + "/");
        Console.WriteLine($"""

            Ruum Identity is running (Development).
              Issuer:    {issuer}
              Discovery: {issuer}.well-known/openid-configuration
              Sign in:   {issuer}account/login
              as {DevelopmentSeed.OwnerEmail} / {DevelopmentSeed.Password} (authenticator secret {DevelopmentSeed.OwnerAuthenticatorSecret})
              or {DevelopmentSeed.MemberEmail} / {DevelopmentSeed.Password} (emailed codes land in .data/mail/)

            """);
    }
}
