using Ruum.Identity.Features.Notifications.Templates;

namespace Ruum.Identity.Features.Notifications;

public static class NotificationsSetup
{
    public static WebApplicationBuilder AddRuumNotifications(this WebApplicationBuilder builder)
    {
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<CredentialNotifications>();
        builder.Services.AddSingleton<MailTemplates>();
        return builder;
    }
}
