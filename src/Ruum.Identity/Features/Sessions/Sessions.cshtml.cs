using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Ruum.Identity.Features.Login;
using Ruum.Identity.Features.Users;
using Microsoft.Extensions.Localization;
using Ruum.Identity.Features.Shared;

namespace Ruum.Identity.Features.Sessions;

/// <summary>/account/sessions: the user's signed-in browsers; end any other, all others, or all of them and every token.</summary>
[Authorize]
public sealed class SessionsModel(BrowserSessions sessions, SignOutEverywhere everywhere, IStringLocalizer<FormMessages> text) : PageModel
{
    public IReadOnlyList<BrowserSession> Sessions { get; private set; } = [];

    public string? Message { get; private set; }

    public bool IsCurrent(BrowserSession session) => session?.Id == SessionClaims.SessionIdOf(User);

    public async Task OnGetAsync() => Sessions = await sessions.ListLiveAsync(User.UserId(), HttpContext.RequestAborted);

    public async Task<IActionResult> OnPostEndAsync(Guid id)
    {
        // Only another of the user's own sessions: an id of another user's (or this browser's) ends nothing.
        var ended = id != SessionClaims.SessionIdOf(User)
            && await sessions.EndAsync(User.UserId(), id, SessionEndedBy.User, HttpContext.RequestAborted);
        Message = text[ended ? "The session was ended. That browser is signed out." : "That session was not found."];
        if (!ended)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }
        await OnGetAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostEndOthersAsync()
    {
        var count = await sessions.EndAllAsync(User.UserId(), SessionClaims.SessionIdOf(User), SessionEndedBy.User, HttpContext.RequestAborted);
        Message = count == 1 ? text["1 other session was ended."] : text["{0} other sessions were ended.", count];
        await OnGetAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostEverywhereAsync()
    {
        await everywhere.ApplyAsync(User.UserId(), SessionEndedBy.SignOutEverywhere, HttpContext.RequestAborted);
        await HttpContext.SignOutAsync(SessionSetup.Scheme);
        return LocalRedirect("/account/logged-out");
    }
}
