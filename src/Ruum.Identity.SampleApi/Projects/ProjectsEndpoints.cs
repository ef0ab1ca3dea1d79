using Microsoft.AspNetCore.Http.HttpResults;
using Ruum.Identity.Validation;

namespace Ruum.Identity.SampleApi.Projects;

/// <summary>
/// /projects. Who may do what comes only from the token (through Ruum.Identity.Validation):
/// any project role reads, <c>manager</c> and <c>editor</c> update. A project the caller has no role in (including any
/// project of another company) is 403 before this API looks at its data, so its existence is not revealed.
/// </summary>
public static class ProjectsEndpoints
{
    public const int MaxNameLength = 200;

    public static void MapProjects(this IEndpointRouteBuilder app)
    {
        var projects = app.MapGroup("projects");
        projects.MapGet("", ListMine).RequireAuthorization(p => p.RequireUser());
        projects.MapGet("{projectId}", Read).RequireAuthorization(p => p.RequireProjectRole("manager", "editor", "viewer"));
        projects.MapPut("{projectId}", Update).RequireAuthorization(p => p.RequireProjectRole("manager", "editor"));
        projects.MapGet("{projectId}/members", Members).RequireAuthorization(p => p.RequireProjectRole("manager", "editor", "viewer"));
    }

    public sealed record ProjectSummary(string Id, string Role, string? Name);

    public sealed record ProjectView(string Id, Guid CompanyId, string Name, string YourRole);

    public sealed record UpdateProject(string? Name);

    private static Ok<List<ProjectSummary>> ListMine(RuumUser user, ProjectStore store) =>
        TypedResults.Ok(user.ProjectRoles
            .Select(p => new ProjectSummary(p.Key, p.Value, Mine(store.Find(p.Key), user)?.Name))
            .OrderBy(p => p.Id, StringComparer.Ordinal)
            .ToList());

    private static IResult Read(string projectId, RuumUser user, ProjectStore store) =>
        Mine(store.Find(projectId), user) is { } project
            ? TypedResults.Ok(new ProjectView(project.Id, project.CompanyId, project.Name, user.ProjectRole(projectId)!))
            : NotFound();

    private static IResult Update(string projectId, UpdateProject? body, RuumUser user, ProjectStore store)
    {
        if (Mine(store.Find(projectId), user) is not { } project)
        {
            return NotFound();
        }
        var name = body?.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["name"] = [$"Give the project a name of 1 to {MaxNameLength} characters."],
            });
        }
        var updated = project with { Name = name };
        store.Save(updated);
        return TypedResults.Ok(new ProjectView(updated.Id, updated.CompanyId, updated.Name, user.ProjectRole(projectId)!));
    }

    private static IResult Members(string projectId, RuumUser user, ProjectStore store) =>
        Mine(store.Find(projectId), user) is { } project ? TypedResults.Ok(project.Members) : NotFound();

    // Defence in depth: the token already limits project_roles to the active company.
    private static SampleProject? Mine(SampleProject? project, RuumUser user) =>
        project is not null && project.CompanyId == user.CompanyId ? project : null;

    private static ProblemHttpResult NotFound() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "This API has no such project.");
}
