using System.Security.Claims;
using OpenIddict.Validation;
using static OpenIddict.Validation.OpenIddictValidationEvents;

namespace Ruum.Identity.Features.Admin;

/// <summary>
/// Validates a bearer access token with OpenIddict's validation pipeline, fed by this server's own keys and issuer
/// (<c>UseLocalServer</c>): signature, <c>typ: at+jwt</c>, lifetime and issuer.
/// Called only by the admin API: no authentication scheme is registered, so nothing runs on other requests.
/// </summary>
internal sealed class AdminTokens(IOpenIddictValidationDispatcher dispatcher, IOpenIddictValidationFactory factory)
{
    public async Task<ClaimsPrincipal?> ValidateAsync(HttpContext http, string token)
    {
        var transaction = await factory.CreateTransactionAsync();
        var context = new ProcessAuthenticationContext(transaction)
        {
            AccessToken = token,
            CancellationToken = http.RequestAborted,
        };
        if (context.Options.Issuer is null)
        {
            // No configured issuer (Development): the server names itself after the request, so the token's issuer
            // must be this request's base address, as OpenIddict's ASP.NET Core host would infer it.
            context.BaseUri = new Uri($"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/", UriKind.Absolute);
        }
        await dispatcher.DispatchAsync(context);
        return context.IsRejected ? null : context.AccessTokenPrincipal;
    }
}
