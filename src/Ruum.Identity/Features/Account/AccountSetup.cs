using Microsoft.AspNetCore.Mvc.RazorPages;
using Ruum.Identity.Features.Audit;

namespace Ruum.Identity.Features.Account;

public static class AccountSetup
{
    public static WebApplicationBuilder AddRuumAccount(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<EmailChangeOptions>().Bind(builder.Configuration.GetSection(EmailChangeOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<EmailChanges>();
        builder.Services.AddScoped<IRetentionSweep, ExpiredEmailChanges>();
        builder.Services.Configure<RazorPagesOptions>(pages =>
            pages.Conventions.AddPageApplicationModelConvention("/Home", home => home.Filters.Add(new SendSignedInUsersToAccount())));
        return builder;
    }
}
