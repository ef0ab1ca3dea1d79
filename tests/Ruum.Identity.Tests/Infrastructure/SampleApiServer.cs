using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Ruum.Identity.SampleApi;
using Ruum.Identity.SampleApi.Projects;
using Ruum.Identity.Validation;

namespace Ruum.Identity.Tests.Infrastructure;

/// <summary>
/// The sample API on its own loopback port, validating tokens of <paramref name="authority"/> over real HTTP
/// (discovery, JWKS). Its clock is its own, so tests can age tokens without touching the identity server.
/// </summary>
public sealed class SampleApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SampleApiServer(WebApplication app, FakeTimeProvider clock)
    {
        _app = app;
        Clock = clock;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.TrimEnd('/') + "/");
    }

    public FakeTimeProvider Clock { get; }

    public Uri BaseAddress { get; }

    public ProjectStore Store => _app.Services.GetRequiredService<ProjectStore>();

    public IServiceProvider Services => _app.Services;

    /// <param name="browserOrigin">A browser app's origin the API answers CORS requests from.</param>
    public static async Task<SampleApiServer> StartAsync(Uri authority, Action<RuumIdentityValidationOptions>? validation = null,
        string? browserOrigin = null)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        string[] args =
        [
            "--environment=Production",
            "--urls=http://127.0.0.1:0",
            $"--Ruum:Authority={authority}",
            "--Ruum:AllowHttpAuthority=true",
            .. browserOrigin is null ? Array.Empty<string>() : [$"--Ruum:CorsOrigins:0={browserOrigin}"],
        ];
        var app = SampleApiHost.Build(args, builder =>
        {
            builder.Services.RemoveAll<TimeProvider>();
            builder.Services.AddSingleton<TimeProvider>(clock);
            if (validation is not null)
            {
                builder.Services.PostConfigure(validation);
            }
        });
        await app.StartAsync();
        return new SampleApiServer(app, clock);
    }

    public HttpClient Client(string? accessToken = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (accessToken is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
