namespace Ruum.Identity.Features.Admin.Scopes;

/// <summary><c>/api/admin/scopes</c>: platform admins only.</summary>
internal static class ScopesEndpoints
{
    public static void MapAdminScopes(this RouteGroupBuilder api)
    {
        var scopes = api.MapGroup("/scopes").WithTags("Scopes").AddEndpointFilter<RequirePlatformAdmin>();
        scopes.MapGet("/", async (HttpContext http, AdminScopes service) =>
            AdminPage.From(http.Request) is { Error: { } error } ? error.ToResult()
                : TypedResults.Ok(await service.ListAsync(AdminPage.From(http.Request).Value!, http.RequestAborted)))
            .WithName("ListScopes").Produces<Page<ScopeView>>().ProducesValidationProblem();
        scopes.MapGet("/{name}", async (string name, HttpContext http, AdminScopes service) =>
            Answer(http, await service.GetAsync(name, http.RequestAborted), TypedResults.Ok))
            .WithName("GetScope").Produces<ScopeView>().ProducesProblem(StatusCodes.Status404NotFound);
        scopes.MapPost("/", CreateAsync).WithName("CreateScope").Accepts<ScopeInput>("application/json")
            .Produces<ScopeView>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        scopes.MapPut("/{name}", UpdateAsync).WithName("UpdateScope").Accepts<ScopeInput>("application/json")
            .Produces<ScopeView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        scopes.MapDelete("/{name}", async (string name, HttpContext http, AdminScopes service) =>
            await service.DeleteAsync(AdminCaller.Of(http), name, version => AdminETags.Matches(http.Request, version), http.RequestAborted)
                is { } error ? error.ToResult() : TypedResults.NoContent())
            .WithName("DeleteScope").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status412PreconditionFailed);
    }

    private static async Task<IResult> CreateAsync(HttpContext http, AdminScopes service)
    {
        var input = await AdminJson.ReadAsync<ScopeInput>(http.Request);
        if (input.Error is { } error)
        {
            return error.ToResult();
        }
        return Answer(http, await service.CreateAsync(AdminCaller.Of(http), input.Value!, http.RequestAborted),
            view => TypedResults.Created($"{AdminApi.Prefix}/scopes/{view.Name}", view));
    }

    private static async Task<IResult> UpdateAsync(string name, HttpContext http, AdminScopes service)
    {
        var input = await AdminJson.ReadAsync<ScopeInput>(http.Request);
        if (input.Error is { } error)
        {
            return error.ToResult();
        }
        return Answer(http, await service.UpdateAsync(AdminCaller.Of(http), name, input.Value!,
            version => AdminETags.Matches(http.Request, version), http.RequestAborted), TypedResults.Ok);
    }

    private static IResult Answer(HttpContext http, AdminResult<ScopeView> result, Func<ScopeView, IResult> success)
    {
        if (result.Error is { } error)
        {
            return error.ToResult();
        }
        AdminETags.Set(http.Response, result.Value!.Version);
        return success(result.Value);
    }
}
