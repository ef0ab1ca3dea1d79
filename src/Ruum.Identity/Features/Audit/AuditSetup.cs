namespace Ruum.Identity.Features.Audit;

public static class AuditSetup
{
    public static WebApplicationBuilder AddRuumAudit(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuditOptions>().Bind(builder.Configuration.GetSection(AuditOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<AuditLog>();
        builder.Services.AddScoped<AuditRetention>();
        builder.Services.AddScoped<IRetentionSweep>(services => services.GetRequiredService<AuditRetention>());
        builder.Services.AddHostedService<RetentionJob>();
        builder.Services.AddSingleton<RefusalTally>();
        builder.Services.AddHostedService<RefusalTallyFlush>();
        builder.Services.AddSignOutAudit();
        return builder;
    }
}
