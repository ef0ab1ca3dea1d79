namespace Ruum.Identity.Features.Users;

public static class UsersSetup
{
    public static WebApplicationBuilder AddRuumUsers(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<PasswordOptions>().Bind(builder.Configuration.GetSection(PasswordOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<PasswordHasher>();
        builder.Services.AddSingleton<CommonPasswords>();
        builder.Services.AddSingleton<NewPasswordRules>();
        builder.Services.AddSingleton<UserLookup>();
        builder.Services.AddSingleton<PasswordVerificationGate>();
        builder.Services.AddExceptionHandler<PasswordBusyHandler>();
        return builder;
    }
}
