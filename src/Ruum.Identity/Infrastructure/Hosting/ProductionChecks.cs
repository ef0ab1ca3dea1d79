using Microsoft.AspNetCore.HostFiltering;
using Ruum.Identity.Features.Clients;
using Ruum.Identity.Features.Lockout;
using Ruum.Identity.Features.Login;
using Ruum.Identity.Features.Otp;
using Ruum.Identity.Features.Tokens;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Infrastructure.Database;
using Ruum.Identity.Infrastructure.DataProtection;
using Ruum.Identity.Infrastructure.Email;

namespace Ruum.Identity.Infrastructure.Hosting;

public static class ProductionChecks
{
    /// <summary>
    /// Every setting Production refuses to start without or with an unsafe value, one line per rule. A feature with a secret
    /// adds its rules here, so this list is the whole answer to "what must be configured?".
    /// </summary>
    public static WebApplicationBuilder AddRuumProductionChecks(this WebApplicationBuilder builder)
    {
        builder.Services
            .AddProductionRules<DatabaseOptions, DatabaseProductionRules>()
            .AddProductionRules<SigningOptions, SigningProductionRules>()
            .AddProductionRules<TokenOptions, IssuerProductionRules>()
            .AddProductionRules<TokenOptions, TokenLifetimeProductionRules>()
            .AddProductionRules<HostFilteringOptions, AllowedHostsProductionRules>()
            .AddProductionRules<KeyProtectionOptions, KeyProtectionProductionRules>()
            .AddProductionRules<PasswordOptions, PasswordProductionRules>()
            .AddProductionRules<PasswordOptions, SeparateSecretsProductionRules>()
            .AddProductionRules<ClientOptions, ClientProductionRules>()
            .AddProductionRules<Features.Login.SessionOptions, SessionProductionRules>()
            .AddProductionRules<OtpOptions, OtpProductionRules>()
            .AddProductionRules<LockoutOptions, LockoutProductionRules>()
            .AddProductionRules<EmailOptions, EmailProductionRules>();
        return builder;
    }
}
