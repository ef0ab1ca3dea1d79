using System.Collections.Concurrent;

namespace Ruum.Identity.SampleApi.Projects;

/// <summary>A member as this API's own data lists them.</summary>
public sealed record ProjectMember(string UserId, string Name, string Role);

/// <summary>The API's own record of a project; ids are Ruum Identity's project ids (the keys of <c>project_roles</c>).</summary>
public sealed record SampleProject(string Id, Guid CompanyId, string Name, IReadOnlyList<ProjectMember> Members);

/// <summary>Stands in for the API's database. In memory: this is a sample.</summary>
public sealed class ProjectStore
{
    private readonly ConcurrentDictionary<string, SampleProject> _projects = new(StringComparer.Ordinal);

    public void Save(SampleProject project)
    {
        ArgumentNullException.ThrowIfNull(project);
        _projects[project.Id] = project;
    }

    public SampleProject? Find(string id) => _projects.GetValueOrDefault(id);
}
