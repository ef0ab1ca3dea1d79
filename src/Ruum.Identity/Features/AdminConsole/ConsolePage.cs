using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Ruum.Identity.Features.Admin;
using Ruum.Identity.Features.Shared;

namespace Ruum.Identity.Features.AdminConsole;

/// <summary>
/// What every console page shares: the caller (set by <see cref="ConsoleGate"/>) and the translation of a service's
/// refusal into HTML: missing or not the caller's is 404 (the API's answer), field errors are shown above the form.
/// </summary>
public abstract class ConsolePage : PageModel
{
    /// <summary>The hidden field a destructive action's form must carry, ticked on its confirmation page.</summary>
    public const string ConfirmationField = "Confirmed";

    public AdminCaller Caller => AdminCaller.Of(HttpContext);

    public CancellationToken Aborted => HttpContext.RequestAborted;

    /// <summary>The page model's sentences in the page's language (Features/Shared/FormMessages.es.resx; English is the key).</summary>
    protected IStringLocalizer<FormMessages> Text => HttpContext.RequestServices.GetRequiredService<IStringLocalizer<FormMessages>>();

    /// <summary>What went wrong, as sentences, above the form.</summary>
    public List<string> Problems { get; } = [];

    /// <summary>A confirmation of what was done.</summary>
    public string? Notice { get; set; }

    /// <summary>The page to show for a refusal: 404 and 403 as status pages; input errors on this page (400, 409, 412).</summary>
    protected IActionResult? Refused(AdminError? error)
    {
        if (error is null)
        {
            return null;
        }
        switch (error.Status)
        {
            case StatusCodes.Status404NotFound:
                return NotFound();
            case StatusCodes.Status403Forbidden:
                return StatusCode(StatusCodes.Status403Forbidden);
            case StatusCodes.Status412PreconditionFailed:
                Problems.Add(Text["Someone changed this meanwhile: it is shown as it is now. Repeat your change if it still applies."]);
                break;
            default:
                if (error.Errors is { } fields)
                {
                    Problems.AddRange(fields.SelectMany(f => f.Value.Select(message => $"{f.Key}: {Text[message]}")));
                }
                else
                {
                    Problems.Add(Text[error.Detail]);
                }
                break;
        }
        Response.StatusCode = error.Status;
        return null;
    }

    /// <summary>The paging of the query string (<c>cursor</c>, <c>limit</c>), as the API reads it; a cursor not ours is 400.</summary>
    protected AdminPage? PageOf()
    {
        var page = AdminPage.From(Request);
        if (page.Error is { } error)
        {
            Refused(error);
            return null;
        }
        return page.Value;
    }

    /// <summary>Only the version the form was shown with counts as current (the API's If-Match, as a hidden field).</summary>
    protected static Func<string?, bool> Is(string? shown) => version => version is not null && string.Equals(version, shown, StringComparison.Ordinal);
}
