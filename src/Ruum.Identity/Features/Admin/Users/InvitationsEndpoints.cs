using Microsoft.Extensions.Options;
using Ruum.Identity.Features.Tokens;

namespace Ruum.Identity.Features.Admin.Users;

/// <summary>
/// <c>/api/admin/users/invitations</c>: invite a person (a new account, pending memberships and a mailed link), list,
/// resend and revoke. Translates HTTP to <see cref="AdminInvitations"/> and back.
/// </summary>
internal static class InvitationsEndpoints
{
    public static void MapAdminInvitations(this RouteGroupBuilder api)
    {
        var invitations = api.MapGroup("/users/invitations").WithTags("Users");
        invitations.MapPost("/", InviteAsync).WithName("InviteUser").Accepts<InvitationInput>("application/json")
            .Produces<InvitationView>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        invitations.MapGet("/", ListAsync).WithName("ListInvitations").Produces<Page<InvitationView>>().ProducesValidationProblem();
        invitations.MapPost("/{id:guid}/resend", async (Guid id, HttpContext http, AdminInvitations service) =>
            await service.ResendAsync(AdminCaller.Of(http), id, LinkBase(http), http.RequestAborted) switch
            {
                { Error: { } error } => error.ToResult(),
                var resent => TypedResults.Ok(resent.Value),
            })
            .WithName("ResendInvitation").Produces<InvitationView>().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        invitations.MapDelete("/{id:guid}", async (Guid id, HttpContext http, AdminInvitations service) =>
            await service.RevokeAsync(AdminCaller.Of(http), id, http.RequestAborted) is { } error ? error.ToResult() : TypedResults.NoContent())
            .WithName("RevokeInvitation").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> InviteAsync(HttpContext http, AdminInvitations service)
    {
        var input = await AdminJson.ReadAsync<InvitationInput>(http.Request);
        if (input.Error is { } error)
        {
            return error.ToResult();
        }
        var created = await service.InviteAsync(AdminCaller.Of(http), input.Value!, LinkBase(http), http.RequestAborted);
        return created.Error is { } refused
            ? refused.Status == StatusCodes.Status403Forbidden ? AdminProblems.Forbidden("owner_required", refused.Detail) : refused.ToResult()
            : TypedResults.Created($"{AdminApi.Prefix}/users/invitations/{created.Value!.Id}", created.Value);
    }

    private static async Task<IResult> ListAsync(HttpContext http, AdminInvitations service)
    {
        var page = AdminPage.From(http.Request);
        Guid? companyId = null;
        if (http.Request.Query.TryGetValue("companyId", out var company))
        {
            if (company.Count != 1 || !Guid.TryParse(company[0], out var parsed))
            {
                return AdminProblems.Invalid("companyId", "One company id.");
            }
            companyId = parsed;
        }
        return page.Error?.ToResult()
            ?? TypedResults.Ok(await service.ListAsync(AdminCaller.Of(http), companyId, page.Value!, http.RequestAborted));
    }

    /// <summary>The configured issuer (Production), else this request's own origin (its host passed AllowedHosts); the console's invitations too.</summary>
    internal static Uri LinkBase(HttpContext http) =>
        http.RequestServices.GetRequiredService<IOptions<TokenOptions>>().Value.Issuer
        ?? new Uri($"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/");
}
