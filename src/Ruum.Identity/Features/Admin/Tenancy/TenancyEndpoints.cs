namespace Ruum.Identity.Features.Admin.Tenancy;

/// <summary>
/// <c>/api/admin/companies</c>, <c>/api/admin/companies/{id}/policy</c>, <c>/api/admin/companies/{id}/projects</c>, <c>/api/admin/projects</c> and their members.
/// Translates HTTP to <see cref="AdminTenancy"/> and back.
/// </summary>
internal static class TenancyEndpoints
{
    public static void MapAdminTenancy(this RouteGroupBuilder api)
    {
        var companies = api.MapGroup("/companies").WithTags("Companies");
        companies.MapGet("/", async (HttpContext http, AdminTenancy service) => await PagedAsync(http, async page =>
                (AdminResult<Page<CompanyView>>)await service.ListCompaniesAsync(AdminCaller.Of(http), page, http.RequestAborted)))
            .WithName("ListCompanies").Produces<Page<CompanyView>>().ProducesValidationProblem();
        companies.MapGet("/{id:guid}", async (Guid id, HttpContext http, AdminTenancy service) =>
            Answer(http, await service.GetCompanyAsync(AdminCaller.Of(http), id, http.RequestAborted), c => c.Version))
            .WithName("GetCompany").Produces<CompanyView>().ProducesProblem(StatusCodes.Status404NotFound);
        companies.MapPost("/", async (HttpContext http, AdminTenancy service) => await WithBodyAsync<CompanyInput, CompanyView>(http,
                input => service.CreateCompanyAsync(AdminCaller.Of(http), input, http.RequestAborted), c => c.Version,
                c => TypedResults.Created($"{AdminApi.Prefix}/companies/{c.Id}", c)))
            .WithName("CreateCompany").Accepts<CompanyInput>("application/json").Produces<CompanyView>(StatusCodes.Status201Created).ProducesValidationProblem();
        companies.MapPatch("/{id:guid}", async (Guid id, HttpContext http, AdminTenancy service) => await WithBodyAsync<CompanyInput, CompanyView>(http,
                input => service.UpdateCompanyAsync(AdminCaller.Of(http), id, input, IsCurrent(http), http.RequestAborted), c => c.Version))
            .WithName("UpdateCompany").Accepts<CompanyInput>("application/json").Produces<CompanyView>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        companies.MapDelete("/{id:guid}", async (Guid id, HttpContext http, AdminTenancy service) =>
            NoContent(await service.DeleteCompanyAsync(AdminCaller.Of(http), id, IsCurrent(http), http.RequestAborted)))
            .WithName("DeleteCompany").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status412PreconditionFailed);

        companies.MapGet("/{id:guid}/policy", async (Guid id, HttpContext http, AdminSecurityPolicy service) =>
            Answer(http, await service.GetAsync(AdminCaller.Of(http), id, http.RequestAborted), p => p.Version))
            .WithName("GetCompanySecurityPolicy").WithTags("Security policy").Produces<SecurityPolicyView>().ProducesProblem(StatusCodes.Status404NotFound);
        companies.MapPut("/{id:guid}/policy", async (Guid id, HttpContext http, AdminSecurityPolicy service) =>
                await WithBodyAsync<SecurityPolicyInput, SecurityPolicyView>(http,
                    input => service.ReplaceAsync(AdminCaller.Of(http), id, input, IsCurrent(http), http.RequestAborted), p => p.Version))
            .WithName("ReplaceCompanySecurityPolicy").WithTags("Security policy").Accepts<SecurityPolicyInput>("application/json")
            .Produces<SecurityPolicyView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

        companies.MapGet("/{id:guid}/projects", async (Guid id, HttpContext http, AdminTenancy service) =>
                await PagedAsync(http, page => service.ListProjectsAsync(AdminCaller.Of(http), id, page, http.RequestAborted)))
            .WithName("ListProjects").WithTags("Projects").Produces<Page<ProjectView>>().ProducesProblem(StatusCodes.Status404NotFound);
        companies.MapPost("/{id:guid}/projects", async (Guid id, HttpContext http, AdminTenancy service) => await WithBodyAsync<ProjectInput, ProjectView>(http,
                input => service.CreateProjectAsync(AdminCaller.Of(http), id, input, http.RequestAborted), p => p.Version,
                p => TypedResults.Created($"{AdminApi.Prefix}/projects/{p.Id}", p)))
            .WithName("CreateProject").WithTags("Projects").Accepts<ProjectInput>("application/json").Produces<ProjectView>(StatusCodes.Status201Created)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        companies.MapGet("/{id:guid}/members", async (Guid id, HttpContext http, AdminTenancy service) =>
                await PagedAsync(http, page => service.ListCompanyMembersAsync(AdminCaller.Of(http), id, page, http.RequestAborted)))
            .WithName("ListCompanyMembers").WithTags("Memberships").Produces<Page<MemberView>>().ProducesProblem(StatusCodes.Status404NotFound);
        companies.MapPut("/{id:guid}/members/{userId:guid}", async (Guid id, Guid userId, HttpContext http, AdminTenancy service) =>
                await WithBodyAsync<MembershipInput, MemberView>(http,
                    input => service.SetCompanyMemberAsync(AdminCaller.Of(http), id, userId, input, IsCurrent(http), http.RequestAborted), m => m.Version))
            .WithName("SetCompanyMember").WithTags("Memberships").Accepts<MembershipInput>("application/json").Produces<MemberView>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        companies.MapDelete("/{id:guid}/members/{userId:guid}", async (Guid id, Guid userId, HttpContext http, AdminTenancy service) =>
                NoContent(await service.RemoveCompanyMemberAsync(AdminCaller.Of(http), id, userId, IsCurrent(http), http.RequestAborted)))
            .WithName("RemoveCompanyMember").WithTags("Memberships").ProducesProblem(StatusCodes.Status404NotFound);

        var projects = api.MapGroup("/projects").WithTags("Projects");
        projects.MapGet("/{id}", async (string id, HttpContext http, AdminTenancy service) =>
            Answer(http, await service.GetProjectAsync(AdminCaller.Of(http), id, http.RequestAborted), p => p.Version))
            .WithName("GetProject").Produces<ProjectView>().ProducesProblem(StatusCodes.Status404NotFound);
        projects.MapPatch("/{id}", async (string id, HttpContext http, AdminTenancy service) => await WithBodyAsync<ProjectInput, ProjectView>(http,
                input => service.UpdateProjectAsync(AdminCaller.Of(http), id, input, IsCurrent(http), http.RequestAborted), p => p.Version))
            .WithName("UpdateProject").Accepts<ProjectInput>("application/json").Produces<ProjectView>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        projects.MapDelete("/{id}", async (string id, HttpContext http, AdminTenancy service) =>
            NoContent(await service.DeleteProjectAsync(AdminCaller.Of(http), id, IsCurrent(http), http.RequestAborted)))
            .WithName("DeleteProject").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        projects.MapGet("/{id}/members", async (string id, HttpContext http, AdminTenancy service) =>
                await PagedAsync(http, page => service.ListProjectMembersAsync(AdminCaller.Of(http), id, page, http.RequestAborted)))
            .WithName("ListProjectMembers").WithTags("Memberships").Produces<Page<MemberView>>().ProducesProblem(StatusCodes.Status404NotFound);
        projects.MapPut("/{id}/members/{userId:guid}", async (string id, Guid userId, HttpContext http, AdminTenancy service) =>
                await WithBodyAsync<MembershipInput, MemberView>(http,
                    input => service.SetProjectMemberAsync(AdminCaller.Of(http), id, userId, input, IsCurrent(http), http.RequestAborted), m => m.Version))
            .WithName("SetProjectMember").WithTags("Memberships").Accepts<MembershipInput>("application/json").Produces<MemberView>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        projects.MapDelete("/{id}/members/{userId:guid}", async (string id, Guid userId, HttpContext http, AdminTenancy service) =>
                NoContent(await service.RemoveProjectMemberAsync(AdminCaller.Of(http), id, userId, IsCurrent(http), http.RequestAborted)))
            .WithName("RemoveProjectMember").WithTags("Memberships").ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static Func<string?, bool> IsCurrent(HttpContext http) => version => AdminETags.Matches(http.Request, version);

    private static async Task<IResult> PagedAsync<T>(HttpContext http, Func<AdminPage, Task<AdminResult<Page<T>>>> list)
    {
        var page = AdminPage.From(http.Request);
        if (page.Error is { } error)
        {
            return error.ToResult();
        }
        var result = await list(page.Value!);
        return result.Error is { } refused ? Problem(refused) : TypedResults.Ok(result.Value);
    }

    private static async Task<IResult> WithBodyAsync<TInput, TView>(HttpContext http, Func<TInput, Task<AdminResult<TView>>> change,
        Func<TView, string> versionOf, Func<TView, IResult>? success = null) where TInput : class
    {
        var input = await AdminJson.ReadAsync<TInput>(http.Request);
        if (input.Error is { } error)
        {
            return error.ToResult();
        }
        return Answer(http, await change(input.Value!), versionOf, success);
    }

    private static IResult Answer<TView>(HttpContext http, AdminResult<TView> result, Func<TView, string> versionOf, Func<TView, IResult>? success = null)
    {
        if (result.Error is { } error)
        {
            return Problem(error);
        }
        AdminETags.Set(http.Response, versionOf(result.Value!));
        return success is null ? TypedResults.Ok(result.Value) : success(result.Value!);
    }

    private static IResult NoContent(AdminError? error) => error is null ? TypedResults.NoContent() : Problem(error);

    private static IResult Problem(AdminError error) =>
        error.Status == StatusCodes.Status403Forbidden ? AdminProblems.Forbidden("not_allowed", error.Detail) : error.ToResult();
}
