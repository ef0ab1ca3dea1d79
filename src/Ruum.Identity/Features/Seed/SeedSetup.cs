namespace Ruum.Identity.Features.Seed;

public static class SeedSetup
{
    public static WebApplicationBuilder AddRuumSeed(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<DevelopmentSeed>();
        return builder;
    }
}
