using Microsoft.OpenApi;
using Ruum.Identity.Features.Admin.Audit;
using Ruum.Identity.Features.Admin.Bootstrap;
using OpenIddict.Validation.ServerIntegration;
using Ruum.Identity.Features.Admin.Clients;
using Ruum.Identity.Features.Admin.Roles;
using Ruum.Identity.Features.Admin.Scopes;
using Ruum.Identity.Features.Admin.Tenancy;
using Ruum.Identity.Features.Admin.Users;
using Scalar.AspNetCore;

namespace Ruum.Identity.Features.Admin;

public static class AdminSetup
{
    /// <summary>The admin API: its token check, its services (one per area) and its OpenAPI document.</summary>
    public static WebApplicationBuilder AddRuumAdmin(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOpenIddict()
            .AddServer(server => server.RegisterScopes(AdminApi.Scope))
            // Validation without an ASP.NET Core host: AdminTokens calls it for admin requests only (see AdminAccess).
            // The audience is checked by AdminAccess after the scope, so a token for another API gets 403 insufficient_scope.
            .AddValidation(validation =>
            {
                validation.UseLocalServer();
                validation.AddEventHandler(ValidateAdminTokensWithCurrentSigningKeys.Descriptor);
            });
        services.AddScoped<AdminTokens>();
        services.AddScoped<AdminAudit>();
        services.AddScoped<AdminClients>();
        services.AddScoped<AdminScopes>();
        services.AddScoped<Invitations>();
        services.AddScoped<AdminInvitations>();
        services.AddScoped<AdminAuditQuery>();
        services.AddOptions<ProvisioningOptions>().Bind(builder.Configuration.GetSection(ProvisioningOptions.Section));
        services.AddScoped<AdminUsers>();
        services.AddScoped<UserPrivacy>();
        services.AddScoped<AdminTenancy>();
        services.AddScoped<AdminSecurityPolicy>();
        services.AddScoped<AdminRoles>();
        services.AddOpenApi(options =>
        {
            options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/admin/", StringComparison.Ordinal) == true;
        });
        return builder;
    }

    public static WebApplication MapRuumAdmin(this WebApplication app)
    {
        app.MapOpenApi(AdminApi.Prefix + "/openapi.json");
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference(AdminApi.Prefix + "/reference", options => options
                .WithOpenApiRoutePattern(AdminApi.Prefix + "/openapi.json")
                // A per-request nonce on its inline scripts, which SecurityHeaders adds to this response's CSP only.
                .WithNonce()
                // Scalar's default fonts come from its CDN, which the CSP (and an offline machine) refuses.
                .DisableDefaultFonts());
        }
        var api = app.MapGroup(AdminApi.Prefix)
            .AddEndpointFilter<AdminAccess>()
            .DisableAntiforgery()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapAdminClients();
        api.MapAdminScopes();
        api.MapAdminAudit();
        api.MapAdminUsers();
        api.MapAdminInvitations();
        api.MapAdminUserPrivacy();
        api.MapAdminTenancy();
        api.MapAdminRoles();
        return app;
    }
}
