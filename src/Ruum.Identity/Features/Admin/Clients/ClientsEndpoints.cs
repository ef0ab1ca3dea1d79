namespace Ruum.Identity.Features.Admin.Clients;

/// <summary><c>/api/admin/clients</c>: platform admins only. Translates HTTP to <see cref="AdminClients"/> and back.</summary>
internal static class ClientsEndpoints
{
    public static void MapAdminClients(this RouteGroupBuilder api)
    {
        var clients = api.MapGroup("/clients").WithTags("Clients").AddEndpointFilter<RequirePlatformAdmin>();
        clients.MapGet("/", ListAsync).WithName("ListClients").Produces<Page<ClientView>>().ProducesValidationProblem();
        clients.MapGet("/{clientId}", GetAsync).WithName("GetClient").Produces<ClientView>().ProducesProblem(StatusCodes.Status404NotFound);
        clients.MapPost("/", CreateAsync).WithName("CreateClient").Accepts<ClientInput>("application/json").Produces<ClientView>(StatusCodes.Status201Created)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        clients.MapPut("/{clientId}", UpdateAsync).WithName("UpdateClient").Accepts<ClientInput>("application/json").Produces<ClientView>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        clients.MapPost("/{clientId}/disable", (string clientId, HttpContext http, AdminClients service) => SetEnabledAsync(clientId, false, http, service))
            .WithName("DisableClient").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        clients.MapPost("/{clientId}/enable", (string clientId, HttpContext http, AdminClients service) => SetEnabledAsync(clientId, true, http, service))
            .WithName("EnableClient").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        clients.MapPost("/{clientId}/secret", RotateSecretAsync).WithName("RotateClientSecret").Produces<RotatedSecret>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        clients.MapDelete("/{clientId}", DeleteAsync).WithName("DeleteClient")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status412PreconditionFailed);
    }

    private static async Task<IResult> ListAsync(HttpContext http, AdminClients service)
    {
        var page = AdminPage.From(http.Request);
        return page.Error?.ToResult() ?? TypedResults.Ok(await service.ListAsync(page.Value!, http.RequestAborted));
    }

    private static async Task<IResult> GetAsync(string clientId, HttpContext http, AdminClients service) =>
        Answer(http, await service.GetAsync(clientId, http.RequestAborted), TypedResults.Ok);

    private static async Task<IResult> CreateAsync(HttpContext http, AdminClients service)
    {
        var input = await AdminJson.ReadAsync<ClientInput>(http.Request);
        if (input.Error is { } error)
        {
            return error.ToResult();
        }
        var created = await service.CreateAsync(AdminCaller.Of(http), input.Value!, http.RequestAborted);
        return Answer(http, created, view => TypedResults.Created($"{AdminApi.Prefix}/clients/{view.ClientId}", view));
    }

    private static async Task<IResult> UpdateAsync(string clientId, HttpContext http, AdminClients service)
    {
        var input = await AdminJson.ReadAsync<ClientInput>(http.Request);
        if (input.Error is { } error)
        {
            return error.ToResult();
        }
        var updated = await service.UpdateAsync(AdminCaller.Of(http), clientId, input.Value!,
            version => AdminETags.Matches(http.Request, version), http.RequestAborted);
        return Answer(http, updated, TypedResults.Ok);
    }

    private static async Task<IResult> SetEnabledAsync(string clientId, bool enabled, HttpContext http, AdminClients service) =>
        Answer(http, await service.SetEnabledAsync(AdminCaller.Of(http), clientId, enabled,
            version => AdminETags.Matches(http.Request, version), http.RequestAborted), TypedResults.Ok);

    private static async Task<IResult> RotateSecretAsync(string clientId, HttpContext http, AdminClients service)
    {
        var rotated = await service.RotateSecretAsync(AdminCaller.Of(http), clientId,
            version => AdminETags.Matches(http.Request, version), http.RequestAborted);
        return rotated.Error?.ToResult() ?? TypedResults.Ok(rotated.Value);
    }

    private static async Task<IResult> DeleteAsync(string clientId, HttpContext http, AdminClients service) =>
        await service.DeleteAsync(AdminCaller.Of(http), clientId, version => AdminETags.Matches(http.Request, version), http.RequestAborted)
            is { } error ? error.ToResult() : TypedResults.NoContent();

    private static IResult Answer(HttpContext http, AdminResult<ClientView> result, Func<ClientView, IResult> success)
    {
        if (result.Error is { } error)
        {
            return error.ToResult();
        }
        AdminETags.Set(http.Response, result.Value!.Version);
        return success(result.Value);
    }
}
