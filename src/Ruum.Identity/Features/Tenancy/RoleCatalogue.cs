namespace Ruum.Identity.Features.Tenancy;

/// <summary>
/// The default catalogue, written by the migrations (so every environment has it) and listed in the README.
/// It is data: roles and their permissions can be changed in the database without a release.
/// </summary>
public static class RoleCatalogue
{
    public const string PlatformAdmin = "platform_admin";

    public const string CompanyOwner = "owner";
    public const string CompanyAdmin = "admin";
    public const string CompanyMember = "member";
    public const string CompanyViewer = "viewer";

    public const string ProjectManager = "manager";
    public const string ProjectEditor = "editor";
    public const string ProjectViewer = "viewer";

    public static Permission[] Permissions { get; } =
    [
        new() { Name = "platform.manage", Description = "Administer Ruum Identity itself: clients, users and roles of every company. Ruum staff only." },
        new() { Name = "company.read", Description = "See the company's profile and settings." },
        new() { Name = "company.manage", Description = "Change the company's profile, settings and billing, or close it." },
        new() { Name = "members.read", Description = "See who belongs to the company or project, and with which role." },
        new() { Name = "members.manage", Description = "Invite and remove members and change their roles." },
        new() { Name = "project.create", Description = "Create projects in the company." },
        new() { Name = "project.read", Description = "Read a project's data: plans, documents, schedules, reports." },
        new() { Name = "project.write", Description = "Change a project's data." },
        new() { Name = "project.delete", Description = "Archive or delete a project." },
    ];

    public static Role[] Roles { get; } =
    [
        new() { Id = new("5fdcf03a-b7e5-410d-b7d2-ade23f87e81b"), Scope = RoleScope.Platform, Name = PlatformAdmin, Description = "Ruum staff who operate the platform." },
        new() { Id = new("2ef07b23-d62f-4a3b-8b4b-0b45bc555fe3"), Scope = RoleScope.Company, Name = CompanyOwner, Description = "Owns the company account: everything, including billing." },
        new() { Id = new("30500684-5dbf-42e4-b4e3-feb63831b6ec"), Scope = RoleScope.Company, Name = CompanyAdmin, Description = "Runs the company: members and projects, not billing." },
        new() { Id = new("73b130ba-9f65-45f2-ae5d-cf3d0d08ab30"), Scope = RoleScope.Company, Name = CompanyMember, Description = "Works in the company's projects they are added to; can start new ones." },
        new() { Id = new("6bfdde27-6fda-48c7-a64b-719125603010"), Scope = RoleScope.Company, Name = CompanyViewer, Description = "Sees the company; reads the projects they are added to." },
        new() { Id = new("5b16d94a-e14b-472f-9d68-52aa1a6f4935"), Scope = RoleScope.Project, Name = ProjectManager, Description = "Leads the project: its data and its members." },
        new() { Id = new("085dc9da-9ef1-4d71-b8bb-c06e1e279a55"), Scope = RoleScope.Project, Name = ProjectEditor, Description = "Changes the project's data." },
        new() { Id = new("77655100-1cfa-46df-a395-ba1d0de83c72"), Scope = RoleScope.Project, Name = ProjectViewer, Description = "Reads the project's data." },
    ];

    public static RolePermission[] RolePermissions { get; } =
    [
        .. Grant(PlatformAdmin, "platform.manage"),
        .. Grant(CompanyOwner, "company.read", "company.manage", "members.read", "members.manage", "project.create", "project.read", "project.write", "project.delete"),
        .. Grant(CompanyAdmin, "company.read", "members.read", "members.manage", "project.create", "project.read", "project.write", "project.delete"),
        .. Grant(CompanyMember, "company.read", "members.read", "project.create"),
        .. Grant(CompanyViewer, "company.read"),
        .. Grant(RoleScope.Project, ProjectManager, "project.read", "project.write", "project.delete", "members.read", "members.manage"),
        .. Grant(RoleScope.Project, ProjectEditor, "project.read", "project.write", "members.read"),
        .. Grant(RoleScope.Project, ProjectViewer, "project.read", "members.read"),
    ];

    private static IEnumerable<RolePermission> Grant(string role, params string[] permissions) =>
        Grant(role == PlatformAdmin ? RoleScope.Platform : RoleScope.Company, role, permissions);

    private static IEnumerable<RolePermission> Grant(RoleScope scope, string role, params string[] permissions)
    {
        var id = Roles.Single(r => r.Scope == scope && r.Name == role).Id;
        return permissions.Select(p => new RolePermission { RoleId = id, PermissionName = p });
    }
}
