using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Ruum.Identity.Features.Admin;
using Ruum.Identity.Features.Login;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Features.AdminConsole;

/// <summary>
/// The console's door, after the session cookie: the signed-in user must administer something (as the admin API
/// decides it, <see cref="AdminAccess.ForUserAsync"/>), else 403; and the session must have passed a second factor
/// (<c>mfa</c> in its <c>amr</c>, RFC 8176), else the user is asked for it first (a password-only session on a
/// trusted device). The caller then serves every page as the API's <see cref="AdminCaller"/>.
/// </summary>
internal sealed class ConsoleGate : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var db = http.RequestServices.GetRequiredService<RuumDbContext>();
        var caller = await AdminAccess.ForUserAsync(db, http.User.UserId(), clientId: null, http.RequestAborted);
        if (caller is null || (!caller.IsPlatformAdmin && context.HandlerInstance.GetType().IsDefined(typeof(PlatformAdminOnlyAttribute), false)))
        {
            context.Result = new StatusCodeResult(StatusCodes.Status403Forbidden);
            return;
        }
        if (SignInFacts.ReadFrom(http.User) is not { HasSecondFactor: true })
        {
            // As the re-authentication of a credential change: password and second factor, then back here.
            var back = http.Request.PathBase + http.Request.Path + (HttpMethods.IsGet(http.Request.Method) ? http.Request.QueryString : QueryString.Empty);
            context.Result = new LocalRedirectResult(ReauthenticateModel.PathFor(back));
            return;
        }
        http.Features.Set(caller);
        await next();
    }
}

/// <summary>A console page for what only platform admins manage in the API too (clients, scopes): 403 for a company admin.</summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class PlatformAdminOnlyAttribute : Attribute;
