namespace Ruum.Identity.Features.Lockout;

public static class LockoutSetup
{
    public static WebApplicationBuilder AddRuumLockout(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<LockoutOptions>().Bind(builder.Configuration.GetSection(LockoutOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<AccountLockouts>();
        builder.Services.AddScoped<PasswordGuard>();
        builder.Services.AddScoped<SecondFactorGuard>();
        builder.Services.AddRuumRequestRateLimits();
        builder.Services.AddSingleton<ClientAuthenticationFailures>();
        return builder;
    }
}
