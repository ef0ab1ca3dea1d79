using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.Options;

namespace Ruum.Identity.Features.Login;

/// <summary>
/// On a page that changes how the user signs in (authenticator, recovery codes, password): every handler needs the
/// password and a second factor within <see cref="SessionOptions.ReauthenticationWindow"/> (ASVS 5.0 V7.5.1, V6.3.7).
/// A hijacked session, or a password-only one on a trusted device, is sent to re-authenticate first.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequireRecentSecondFactorAttribute : Attribute, IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var window = http.RequestServices.GetRequiredService<IOptions<SessionOptions>>().Value.ReauthenticationWindow;
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        if (IsRecent(SignInFacts.ReadFrom(http.User), now, window))
        {
            await next();
            return;
        }
        // A form posted too late is not replayed afterwards: the user comes back to the page and submits it again.
        var back = http.Request.PathBase + http.Request.Path + (HttpMethods.IsGet(http.Request.Method) ? http.Request.QueryString : QueryString.Empty);
        context.Result = new LocalRedirectResult(ReauthenticateModel.PathFor(back));
    }

    public static bool IsRecent(SignInFacts? facts, DateTimeOffset now, TimeSpan window) =>
        facts?.SecondFactorAt is { } at && now - at <= window;
}
