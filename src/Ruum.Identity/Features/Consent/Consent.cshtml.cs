using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using OpenIddict.Abstractions;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Login;
using Ruum.Identity.Features.Tokens;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Ruum.Identity.Features.Consent;

/// <summary>
/// Third-party clients (consent type explicit) ask the user once. Granting stores a permanent
/// authorization; the authorization endpoint then finds it and issues the code.
/// </summary>
[Authorize(AuthenticationSchemes = SessionSetup.Scheme)]
public sealed class ConsentModel(IOpenIddictApplicationManager applications, IOpenIddictAuthorizationManager authorizations, TimeProvider time,
    AuditLog audit) : PageModel
{
    private const string AuthorizePath = "/connect/authorize";

    [BindProperty(SupportsGet = true)]
    public string ReturnUrl { get; set; } = "";

    public string ApplicationName { get; private set; } = "";

    public IReadOnlyList<string> Scopes { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync() =>
        await LoadAsync() is null ? BadRequestPage() : Page();

    public async Task<IActionResult> OnPostAcceptAsync()
    {
        var application = await LoadAsync();
        if (application is null)
        {
            return BadRequestPage();
        }
        var descriptor = new OpenIddictAuthorizationDescriptor
        {
            ApplicationId = await applications.GetIdAsync(application),
            Subject = User.GetClaim(Claims.Subject),
            Type = AuthorizationTypes.Permanent,
            Status = Statuses.Valid,
            CreationDate = time.GetUtcNow(),
        };
        descriptor.Scopes.UnionWith(Scopes);
        await authorizations.CreateAsync(descriptor);
        await audit.RecordAsync(AuditEventTypes.ConsentGranted, AuditOutcomes.Success, Guid.Parse(descriptor.Subject!),
            new { scopes = Scopes }, await applications.GetClientIdAsync(application), HttpContext.RequestAborted);
        return LocalRedirect(WithoutConsentPrompt(ReturnUrl));
    }

    public async Task<IActionResult> OnPostDenyAsync() =>
        await LoadAsync() is null
            ? BadRequestPage()
            : LocalRedirect(QueryHelpers.AddQueryString(ReturnUrl, AuthorizationEndpoint.ConsentDeniedParameter, "1"));

    private async Task<object?> LoadAsync()
    {
        if (!ReturnUrl.StartsWith(AuthorizePath + "?", StringComparison.Ordinal))
        {
            return null;
        }
        var query = QueryHelpers.ParseQuery(new Uri("http://x" + ReturnUrl).Query);
        var application = query.TryGetValue(Parameters.ClientId, out var clientId)
            ? await applications.FindByClientIdAsync(clientId.ToString())
            : null;
        if (application is null)
        {
            return null;
        }
        ApplicationName = await applications.GetLocalizedDisplayNameAsync(application) ?? clientId.ToString();
        Scopes = query.TryGetValue(Parameters.Scope, out var scope)
            ? scope.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries)
            : [];
        return application;
    }

    // After the user has answered, prompt=consent must not send them back here.
    private static string WithoutConsentPrompt(string returnUrl)
    {
        var uri = new Uri("http://x" + returnUrl);
        var query = QueryHelpers.ParseQuery(uri.Query).Where(p => p.Key != Parameters.Prompt);
        return QueryHelpers.AddQueryString(uri.AbsolutePath, query);
    }

    private PageResult BadRequestPage()
    {
        Response.StatusCode = StatusCodes.Status400BadRequest;
        ApplicationName = "";
        return Page();
    }
}
