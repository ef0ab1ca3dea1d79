namespace Ruum.Identity.Features.Admin.Users;

/// <summary>
/// <c>/api/admin/users</c>: platform admins see and change everyone; a company admin reads the members of their
/// companies (anyone else is 404, as a missing id). Translates HTTP to <see cref="AdminUsers"/> and back.
/// </summary>
internal static class UsersEndpoints
{
    private delegate Task<AdminResult<UserView>> Action(AdminUsers service, AdminCaller caller, Guid id, Func<string?, bool> isCurrent,
        CancellationToken cancellationToken);

    public static void MapAdminUsers(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("Users");
        users.MapGet("/", SearchAsync).WithName("SearchUsers").Produces<Page<UserSummary>>().ProducesValidationProblem();
        users.MapGet("/{id:guid}", async (Guid id, HttpContext http, AdminUsers service) =>
            Answer(http, await service.GetAsync(AdminCaller.Of(http), id, http.RequestAborted)))
            .WithName("GetUser").Produces<UserView>().ProducesProblem(StatusCodes.Status404NotFound);
        users.MapPatch("/{id:guid}", UpdateAsync).WithName("UpdateUser").Accepts<UserInput>("application/json").Produces<UserView>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        MapAction(users, "/{id:guid}/disable", "DisableUser", (s, c, id, current, ct) => s.SetEnabledAsync(c, id, false, current, ct));
        MapAction(users, "/{id:guid}/enable", "EnableUser", (s, c, id, current, ct) => s.SetEnabledAsync(c, id, true, current, ct));
        MapAction(users, "/{id:guid}/unlock", "UnlockUser", (s, c, id, current, ct) => s.UnlockAsync(c, id, current, ct));
        MapAction(users, "/{id:guid}/second-factor/reset", "ResetUserSecondFactor", (s, c, id, current, ct) => s.ResetSecondFactorAsync(c, id, current, ct));
        users.MapDelete("/{id:guid}/devices", (Guid id, HttpContext http, AdminUsers service) =>
            RunAsync(http, service, id, (s, c, i, current, ct) => s.RemoveDevicesAsync(c, i, null, current, ct)))
            .WithName("RemoveUserDevices").Produces<UserView>().ProducesProblem(StatusCodes.Status404NotFound);
        users.MapDelete("/{id:guid}/devices/{deviceId:guid}", (Guid id, Guid deviceId, HttpContext http, AdminUsers service) =>
            RunAsync(http, service, id, (s, c, i, current, ct) => s.RemoveDevicesAsync(c, i, deviceId, current, ct)))
            .WithName("RemoveUserDevice").Produces<UserView>().ProducesProblem(StatusCodes.Status404NotFound);
        users.MapPut("/{id:guid}/platform-roles/{role}", (Guid id, string role, HttpContext http, AdminUsers service) =>
            RunAsync(http, service, id, (s, c, i, current, ct) => s.SetPlatformRoleAsync(c, i, role, true, current, ct)))
            .WithName("GrantPlatformRole").Produces<UserView>().ProducesProblem(StatusCodes.Status404NotFound);
        users.MapDelete("/{id:guid}/platform-roles/{role}", (Guid id, string role, HttpContext http, AdminUsers service) =>
            RunAsync(http, service, id, (s, c, i, current, ct) => s.SetPlatformRoleAsync(c, i, role, false, current, ct)))
            .WithName("RevokePlatformRole").Produces<UserView>().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    /// <summary>GDPR: <c>GET /users/{id}/export</c> (access, Art. 15) and <c>DELETE /users/{id}</c> (erasure, Art. 17); platform admins only.</summary>
    public static void MapAdminUserPrivacy(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("Users");
        users.MapGet("/{id:guid}/export", async (Guid id, HttpContext http, UserPrivacy service) =>
            await service.ExportAsync(AdminCaller.Of(http), id, http.RequestAborted) switch
            {
                { Error: { } error } => Refused(error),
                var exported => TypedResults.Json(exported.Value, AdminJson.Options),
            })
            .WithName("ExportUser").Produces<System.Text.Json.JsonElement>().ProducesProblem(StatusCodes.Status404NotFound);
        users.MapDelete("/{id:guid}", async (Guid id, HttpContext http, UserPrivacy service) =>
            await service.EraseAsync(AdminCaller.Of(http), id, version => AdminETags.Matches(http.Request, version), http.RequestAborted)
                is { } error ? Refused(error) : TypedResults.NoContent())
            .WithName("EraseUser").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
    }

    private static void MapAction(RouteGroupBuilder users, string pattern, string name, Action action) =>
        users.MapPost(pattern, (Guid id, HttpContext http, AdminUsers service) => RunAsync(http, service, id, action))
            .WithName(name).Produces<UserView>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

    private static async Task<IResult> SearchAsync(HttpContext http, AdminUsers service)
    {
        var page = AdminPage.From(http.Request);
        var query = http.Request.Query["q"];
        if (query.Count > 1 || query.ToString().Length > 254)
        {
            return AdminProblems.Invalid("q", "One search term of at most 254 characters (part of an email or a name).");
        }
        return page.Error?.ToResult()
            ?? TypedResults.Ok(await service.SearchAsync(AdminCaller.Of(http), query.ToString(), page.Value!, http.RequestAborted));
    }

    private static async Task<IResult> UpdateAsync(Guid id, HttpContext http, AdminUsers service)
    {
        var input = await AdminJson.ReadAsync<UserInput>(http.Request);
        if (input.Error is { } error)
        {
            return error.ToResult();
        }
        return Answer(http, await service.UpdateAsync(AdminCaller.Of(http), id, input.Value!,
            version => AdminETags.Matches(http.Request, version), http.RequestAborted));
    }

    private static async Task<IResult> RunAsync(HttpContext http, AdminUsers service, Guid id, Action action) =>
        Answer(http, await action(service, AdminCaller.Of(http), id, version => AdminETags.Matches(http.Request, version), http.RequestAborted));

    private static IResult Refused(AdminError error) =>
        error.Status == StatusCodes.Status403Forbidden ? AdminProblems.Forbidden("platform_admin_required", error.Detail) : error.ToResult();

    internal static IResult Answer(HttpContext http, AdminResult<UserView> result)
    {
        if (result.Error is { } error)
        {
            return Refused(error);
        }
        AdminETags.Set(http.Response, result.Value!.Version);
        return TypedResults.Ok(result.Value);
    }
}
