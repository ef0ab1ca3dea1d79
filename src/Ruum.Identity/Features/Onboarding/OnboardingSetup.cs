namespace Ruum.Identity.Features.Onboarding;

public static class OnboardingSetup
{
    /// <summary>The acceptance pages; their text goes through view localization (English keys, Spanish resources beside the views).</summary>
    public static WebApplicationBuilder AddRuumOnboarding(this WebApplicationBuilder builder)
    {
        builder.Services.AddLocalization();
        builder.Services.AddRazorPages().AddViewLocalization();
        return builder;
    }
}
