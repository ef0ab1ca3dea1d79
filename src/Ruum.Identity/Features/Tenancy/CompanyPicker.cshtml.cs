using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using OpenIddict.Abstractions;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Login;
using Ruum.Identity.Features.Otp;
using static OpenIddict.Abstractions.OpenIddictConstants;
using Microsoft.Extensions.Localization;
using Ruum.Identity.Features.Shared;

namespace Ruum.Identity.Features.Tenancy;

/// <summary>
/// After sign-in, a user of several companies picks the one this application works in. The pick is remembered
/// as their default and sent back to /connect/authorize as <c>company_id</c>, which checks membership again.
/// </summary>
[Authorize(AuthenticationSchemes = SessionSetup.Scheme)]
public sealed class CompanyPickerModel(CompanyChoice choice, AuditLog audit, IStringLocalizer<FormMessages> text) : PageModel
{
    public const string Path = "/account/company";
    private const string AuthorizePath = "/connect/authorize";

    [BindProperty(SupportsGet = true)]
    public string ReturnUrl { get; set; } = "";

    [BindProperty]
    public Guid? CompanyId { get; set; }

    public IReadOnlyList<CompanyOption> Companies { get; private set; } = [];

    public string? Failure { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (!IsAuthorizeRequest(ReturnUrl))
        {
            return BadRequestPage();
        }
        Companies = await choice.ListAsync(UserId, HttpContext.RequestAborted);
        CompanyId = Companies.FirstOrDefault(c => c.IsDefault)?.Id;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!IsAuthorizeRequest(ReturnUrl))
        {
            return BadRequestPage();
        }
        if (CompanyId is not { } companyId || !await choice.RememberAsync(UserId, companyId, HttpContext.RequestAborted))
        {
            Failure = text["Choose one of your companies."];
            Companies = await choice.ListAsync(UserId, HttpContext.RequestAborted);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        await audit.RecordAsync(AuditEventTypes.CompanySwitched, AuditOutcomes.Success, UserId, new { company_id = companyId },
            SecondFactorSignIn.ClientIdOf(ReturnUrl), HttpContext.RequestAborted);
        return LocalRedirect(WithCompany(ReturnUrl, companyId));
    }

    private Guid UserId => Guid.Parse(User.GetClaim(Claims.Subject)!);

    private static bool IsAuthorizeRequest(string returnUrl) => returnUrl.StartsWith(AuthorizePath + "?", StringComparison.Ordinal);

    private static string WithCompany(string returnUrl, Guid companyId)
    {
        var uri = new Uri("http://x" + returnUrl);
        var query = QueryHelpers.ParseQuery(uri.Query).Where(p => p.Key != CompanyChoice.Parameter)
            .Append(new(CompanyChoice.Parameter, companyId.ToString()));
        return QueryHelpers.AddQueryString(uri.AbsolutePath, query);
    }

    private PageResult BadRequestPage()
    {
        Response.StatusCode = StatusCodes.Status400BadRequest;
        ReturnUrl = "";
        return Page();
    }
}
