namespace Ruum.Identity.Features.Admin.Roles;

/// <summary><c>/api/admin/roles</c>: every admin reads the catalogue; platform admins add roles.</summary>
internal static class RolesEndpoints
{
    public static void MapAdminRoles(this RouteGroupBuilder api)
    {
        var roles = api.MapGroup("/roles").WithTags("Roles");
        roles.MapGet("/", async (HttpContext http, AdminRoles service) => TypedResults.Ok(await service.ReadAsync(http.RequestAborted)))
            .WithName("ReadRoleCatalogue").Produces<RoleCatalogueView>();
        roles.MapPost("/", CreateAsync).AddEndpointFilter<RequirePlatformAdmin>().WithName("CreateRole").Accepts<RoleInput>("application/json")
            .Produces<RoleView>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> CreateAsync(HttpContext http, AdminRoles service)
    {
        var input = await AdminJson.ReadAsync<RoleInput>(http.Request);
        if (input.Error is { } error)
        {
            return error.ToResult();
        }
        var created = await service.CreateAsync(AdminCaller.Of(http), input.Value!, http.RequestAborted);
        return created.Error?.ToResult() ?? TypedResults.Created($"{AdminApi.Prefix}/roles/{created.Value!.Id}", created.Value);
    }
}
