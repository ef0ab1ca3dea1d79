using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Ruum.Identity.Features.Account;

/// <summary>The home page offers "Sign in"; a signed-in user's home is the account centre instead.</summary>
internal sealed class SendSignedInUsersToAccount : IPageFilter
{
    public void OnPageHandlerSelected(PageHandlerSelectedContext context) { }

    public void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.HttpContext.User.Identity?.IsAuthenticated == true)
        {
            context.Result = new LocalRedirectResult(AccountNavigation.Links[0].Href);
        }
    }

    public void OnPageHandlerExecuted(PageHandlerExecutedContext context) { }
}
