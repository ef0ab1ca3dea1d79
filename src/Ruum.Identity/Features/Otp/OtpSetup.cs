using Ruum.Identity.Features.Audit;

namespace Ruum.Identity.Features.Otp;

public static class OtpSetup
{
    public static WebApplicationBuilder AddRuumOtp(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<OtpOptions>().Bind(builder.Configuration.GetSection(OtpOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<KeyedHasher>();
        services.AddScoped<PendingSignIns>();
        services.AddScoped<EmailCodes>();
        services.AddScoped<Authenticators>();
        services.AddScoped<RecoveryCodes>();
        services.AddScoped<SecondFactorSignIn>();
        services.AddScoped<CredentialChanges>();
        services.AddScoped<IRetentionSweep, ExpiredSignInState>();
        return builder;
    }
}
