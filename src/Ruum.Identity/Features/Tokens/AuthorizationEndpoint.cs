using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Extensions;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Ruum.Identity.Features.Login;
using Ruum.Identity.Features.Sessions;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Infrastructure.Database;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Ruum.Identity.Features.Tokens;

/// <summary>
/// /connect/authorize after OpenIddict has validated the request (client, redirect_uri, PKCE, scopes):
/// we only decide whether the user is signed in, whether consent is needed, and which claims they get.
/// </summary>
internal static class AuthorizationEndpoint
{
    /// <summary>Set by the consent page when the user declines; it can only ever lead to a refusal.</summary>
    public const string ConsentDeniedParameter = "ruum_consent_denied";

    public static void MapAuthorizationEndpoint(this IEndpointRouteBuilder app) =>
        app.MapMethods("connect/authorize", [HttpMethods.Get, HttpMethods.Post], AuthorizeAsync).DisableAntiforgery();

    private static async Task<IResult> AuthorizeAsync(
        HttpContext context,
        RuumDbContext db,
        IOpenIddictApplicationManager applications,
        IOpenIddictAuthorizationManager authorizations,
        UserLookup users,
        UserPrincipalFactory principals,
        CompanyChoice companies,
        FreshSignIns freshSignIns,
        BrowserSessions browserSessions,
        TimeProvider time)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenIddict server request cannot be retrieved.");
        var cancellationToken = context.RequestAborted;

        var session = await context.AuthenticateAsync(SessionSetup.Scheme);
        var facts = session.Succeeded ? SignInFacts.ReadFrom(session.Principal) : null;
        var marker = (string?)request[FreshSignIns.Parameter];
        var forThisRequest = facts is not null && freshSignIns.WasSignedInFor(marker, session.Principal!, facts);
        var demand = SignInDemand.Of(request, facts, forThisRequest, time.GetUtcNow());
        if (facts is null || demand.NewSignIn)
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Refuse(Errors.LoginRequired, facts is null ? "The user is not signed in." : "The user must sign in again.");
            }
            // The session stays until the new sign-in replaces it: a link from another site must not end it (ASVS V10.6.2).
            // The marker tells us, back here, that the sign-in was done for this request, so it is not asked for again.
            var parameters = ParametersOf(context.Request).Where(p => p.Key != FreshSignIns.Parameter)
                .Append(KeyValuePair.Create(FreshSignIns.Parameter, (string?)freshSignIns.CreateMarker(demand.SecondFactor))).ToList();
            return Results.Challenge(new AuthenticationProperties
            {
                RedirectUri = context.Request.PathBase + context.Request.Path + QueryString.Create(parameters),
            }, [SessionSetup.Scheme]);
        }

        var user = await users.FindBySubjectAsync(db, session.Principal!.GetClaim(Claims.Subject), cancellationToken);
        if (user is not { IsEnabled: true })
        {
            await context.SignOutAsync(SessionSetup.Scheme);
            return Refuse(Errors.LoginRequired, "The user can no longer sign in.");
        }

        var application = await applications.FindByClientIdAsync(request.ClientId!, cancellationToken)
            ?? throw new InvalidOperationException("The client application cannot be found.");
        var clientId = await applications.GetIdAsync(application, cancellationToken);
        var scopes = request.GetScopes();
        var subject = user.Id.ToString();
        var existing = await authorizations.FindAsync(subject, clientId, Statuses.Valid, AuthorizationTypes.Permanent, scopes, cancellationToken)
            .ToListAsync(cancellationToken);

        if (context.Request.Query.ContainsKey(ConsentDeniedParameter))
        {
            return Refuse(Errors.AccessDenied, "The user declined.");
        }
        var needsConsent = await applications.HasConsentTypeAsync(application, ConsentTypes.Explicit, cancellationToken)
            && (existing.Count == 0 || request.HasPromptValue(PromptValues.Consent));
        if (needsConsent)
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Refuse(Errors.ConsentRequired, "The user has not granted this application access.");
            }
            return Results.Redirect("/account/consent?returnUrl=" + Uri.EscapeDataString(ReturnUrl(context.Request)));
        }

        var decision = await companies.DecideAsync(user.Id, (string?)request[CompanyChoice.Parameter],
            request.HasPromptValue(PromptValues.SelectAccount),
            firstParty: !await applications.HasConsentTypeAsync(application, ConsentTypes.Explicit, cancellationToken), cancellationToken);
        if (decision is not CompanyDecision.Active active)
        {
            return decision is CompanyDecision.NotAMember
                ? Refuse(Errors.AccessDenied, "The user is not a member of the requested company.")
                : request.HasPromptValue(PromptValues.None)
                    ? Refuse(Errors.InteractionRequired, "The user must choose a company.")
                    : Results.Redirect(CompanyPickerModel.Path + "?returnUrl=" + Uri.EscapeDataString(ReturnUrl(context.Request)));
        }

        await FreshSignIns.ForgetAsync(context, session);
        var principal = await principals.CreateAsync(user, SignInDemand.Issued(request, facts), scopes, active.CompanyId, cancellationToken);
        principal.SetClaim(SessionClaims.SessionId, session.Principal!.GetClaim(SessionClaims.SessionId));
        await browserSessions.RecordClientAsync(context, request.ClientId!, cancellationToken);
        var authorization = existing.LastOrDefault()
            ?? await authorizations.CreateAsync(principal, subject, clientId!, AuthorizationTypes.Permanent, scopes, cancellationToken);
        principal.SetAuthorizationId(await authorizations.GetIdAsync(authorization, cancellationToken));
        return Results.SignIn(principal, properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>This same authorization request, to come back to after a page (consent, company picker).</summary>
    private static string ReturnUrl(HttpRequest request) =>
        request.PathBase + request.Path + QueryString.Create(ParametersOf(request));

    internal static IEnumerable<KeyValuePair<string, string?>> ParametersOf(HttpRequest request) =>
        (request.HasFormContentType ? request.Form.Select(p => p) : request.Query.Select(p => p))
            .Where(p => p.Key != ConsentDeniedParameter && p.Key != "__RequestVerificationToken")
            .SelectMany(p => p.Value.Select(v => KeyValuePair.Create(p.Key, v)));

    internal static IResult Refuse(string error, string description) =>
        Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
