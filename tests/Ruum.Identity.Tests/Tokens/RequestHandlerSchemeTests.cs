using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Server.AspNetCore;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Tokens;

/// <summary>The authentication middleware hands every request to each request-handler scheme; only the server needs to be one.</summary>
public sealed class RequestHandlerSchemeTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    [Fact]
    public async Task RequestHandlerSchemes_AreOnlyOpenIddictsServer()
    {
        var schemes = fixture.Server.Services.GetRequiredService<IAuthenticationSchemeProvider>();

        var handlers = await schemes.GetRequestHandlerSchemesAsync();

        Assert.Equal([OpenIddictServerAspNetCoreDefaults.AuthenticationScheme], handlers.Select(scheme => scheme.Name));
    }
}
