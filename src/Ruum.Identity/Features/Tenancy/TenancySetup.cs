namespace Ruum.Identity.Features.Tenancy;

public static class TenancySetup
{
    /// <summary>Companies, projects and roles: what the tokens say about them and the page that picks the active company.</summary>
    public static WebApplicationBuilder AddRuumTenancy(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<TenancyClaims>();
        builder.Services.AddSingleton<TenancyQueries>();
        builder.Services.AddScoped<CompanyChoice>();
        builder.Services.AddScoped<TenancyDirectory>();
        builder.Services.AddScoped<SecurityPolicies>();
        return builder;
    }
}
