using Ruum.Identity.Features.Admin.Clients;
using Ruum.Identity.Features.Admin.Scopes;

namespace Ruum.Identity.Features.Admin.Bootstrap;

/// <summary>
/// <c>Ruum:Provisioning</c>: clients and scopes declared in configuration (so Ruum's own first-party clients live in
/// version control), applied idempotently by <c>migrate</c>. A declared confidential client's secret comes from
/// <c>Ruum:Provisioning:Secrets:&lt;clientId&gt;</c>, which must be a secret setting (environment, user secrets,
/// a secret store), never a JSON file: <see cref="Provisioning"/> refuses one read from a file.
/// </summary>
public sealed class ProvisioningOptions
{
    public const string Section = "Ruum:Provisioning";

    public List<ScopeInput> Scopes { get; set; } = [];

    public List<ClientInput> Clients { get; set; } = [];
}
