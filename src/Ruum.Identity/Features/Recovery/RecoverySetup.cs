using Ruum.Identity.Features.Audit;

namespace Ruum.Identity.Features.Recovery;

public static class RecoverySetup
{
    public static WebApplicationBuilder AddRuumRecovery(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<PasswordResetOptions>().Bind(builder.Configuration.GetSection(PasswordResetOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<PasswordResets>();
        builder.Services.AddScoped<IRetentionSweep, ExpiredResetLinks>();
        return builder;
    }
}
