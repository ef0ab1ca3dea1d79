using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.HttpsPolicy;
using Microsoft.Extensions.Options;

namespace Ruum.Identity.Infrastructure.Hosting;

/// <summary>HTTPS behind a TLS-terminating proxy (Render): who to believe about the scheme, redirects and HSTS.</summary>
internal static class TransportSetup
{
    public static WebApplicationBuilder AddRuumTransport(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ProxyOptions>().Bind(builder.Configuration.GetSection(ProxyOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<HttpsOptions>().Bind(builder.Configuration.GetSection(HttpsOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();

        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>>((forwarded, proxy) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            forwarded.ForwardLimit = proxy.Value.ForwardLimit;
            // The framework trusts loopback by default; only what is configured is trusted here.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var address in proxy.Value.KnownProxies)
            {
                forwarded.KnownProxies.Add(System.Net.IPAddress.Parse(address));
            }
            foreach (var network in proxy.Value.KnownNetworks)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        services.AddOptions<HstsOptions>().Configure<IOptions<HttpsOptions>>((hsts, https) =>
        {
            hsts.MaxAge = https.Value.HstsMaxAge;
            hsts.IncludeSubDomains = true;
        });
        services.AddOptions<HttpsRedirectionOptions>().Configure<IOptions<HttpsOptions>>((redirect, https) =>
        {
            // Set explicitly: behind a proxy Kestrel has no HTTPS address, and without a port the middleware silently does nothing.
            redirect.HttpsPort = https.Value.Port;
            redirect.RedirectStatusCode = StatusCodes.Status308PermanentRedirect;
        });
        return builder;
    }

    public static WebApplication UseRuumTransport(this WebApplication app)
    {
        // With no proxy configured the middleware would trust every sender, so it only runs when one is.
        var proxy = app.Services.GetRequiredService<IOptions<ProxyOptions>>().Value;
        if (proxy.KnownProxies.Count > 0 || proxy.KnownNetworks.Count > 0)
        {
            app.UseForwardedHeaders();
        }
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
            // Health probes come from inside the platform (Render, Docker) over plain HTTP and return nothing secret.
            app.UseWhen(context => !context.Request.Path.StartsWithSegments(HealthSetup.PathPrefix),
                https => https.UseHttpsRedirection());
        }
        return app;
    }
}
