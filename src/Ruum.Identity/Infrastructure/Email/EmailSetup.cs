using Microsoft.Extensions.Options;

namespace Ruum.Identity.Infrastructure.Email;

public static class EmailSetup
{
    public static WebApplicationBuilder AddRuumEmail(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<EmailOptions>().Bind(builder.Configuration.GetSection(EmailOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<MimeMessages>();
        services.AddSingleton<IEmailSender>(provider =>
        {
            var settings = provider.GetRequiredService<IOptions<EmailOptions>>().Value;
            var environment = provider.GetRequiredService<IHostEnvironment>();
            var messages = provider.GetRequiredService<MimeMessages>();
            return (settings.Delivery ?? DefaultDelivery(environment)) == EmailDelivery.PickupFolder
                ? new PickupFolderEmailSender(messages, Path.GetFullPath(settings.PickupFolder, environment.ContentRootPath))
                : new SmtpEmailSender(messages, provider.GetRequiredService<IOptions<EmailOptions>>());
        });
        return builder;
    }

    private static EmailDelivery DefaultDelivery(IHostEnvironment environment) =>
        environment.IsDevelopment() ? EmailDelivery.PickupFolder : EmailDelivery.Smtp;
}
