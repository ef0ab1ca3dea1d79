using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Ruum.Identity.Tests.Hosting;

/// <summary>
/// Test-only endpoints behind the whole real pipeline: one tells what the server believes about the request,
/// one fails the way a careless library would, with the request's secrets in the exception message.
/// </summary>
public sealed class ProbeEndpoints : IStartupFilter
{
    public const string Forwarded = "/test/forwarded";
    public const string Throw = "/test/throw";

    public static void AddTo(IWebHostBuilder web) => web.ConfigureServices(services => services.AddSingleton<IStartupFilter, ProbeEndpoints>());

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app);
        app.Run(async context =>
        {
            if (context.Request.Path == Forwarded)
            {
                await context.Response.WriteAsync($"{context.Request.Scheme} {context.Connection.RemoteIpAddress}");
                return;
            }
            if (context.Request.Path == Throw)
            {
                var form = await context.Request.ReadFormAsync();
                throw new InvalidOperationException(
                    $"Could not handle {context.Request.Path}{context.Request.QueryString} with form "
                    + string.Join("&", form.Select(field => $"{field.Key}={field.Value}"))
                    + $" and Authorization: {context.Request.Headers.Authorization}");
            }
            context.Response.StatusCode = StatusCodes.Status404NotFound;
        });
    };
}
