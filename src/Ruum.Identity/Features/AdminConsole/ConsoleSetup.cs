using Ruum.Identity.Features.AdminConsole.Dashboard;

namespace Ruum.Identity.Features.AdminConsole;

/// <summary>
/// The admin console at <c>/admin</c>: Razor Pages over the admin API's own services (Features/Admin). Every page
/// of this folder needs a signed-in session and passes <see cref="ConsoleGate"/>.
/// </summary>
public static class ConsoleSetup
{
    public const string Folder = "/AdminConsole";

    public static WebApplicationBuilder AddRuumAdminConsole(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddRazorPages(pages =>
        {
            pages.Conventions.AuthorizeFolder(Folder);
            pages.Conventions.AddFolderApplicationModelConvention(Folder, page => page.Filters.Add(new ConsoleGate()));
        });
        services.AddScoped<SignInActivity>();
        return builder;
    }
}
