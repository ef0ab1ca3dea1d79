using System.Text.Json.Serialization;

namespace Ruum.Identity.Features.Admin.Clients;

/// <summary>
/// The body of <c>POST /api/admin/clients</c> and <c>PUT /api/admin/clients/{clientId}</c>. On update, <c>clientId</c>
/// and <c>type</c> may be left out; when present they must be the client's own (neither can change).
/// </summary>
public sealed record ClientInput
{
    public string? ClientId { get; init; }

    public string? DisplayName { get; init; }

    /// <summary><c>confidential</c> (has a secret) or <c>public</c> (a browser or native app: PKCE, no secret).</summary>
    public string? Type { get; init; }

    /// <summary><c>authorization_code</c>, <c>refresh_token</c>, <c>client_credentials</c>.</summary>
    public IReadOnlyList<string>? GrantTypes { get; init; }

    public IReadOnlyList<string>? Scopes { get; init; }

    public IReadOnlyList<string>? RedirectUris { get; init; }

    public IReadOnlyList<string>? PostLogoutRedirectUris { get; init; }

    /// <summary><c>implicit</c> (first party: no consent page) or <c>explicit</c> (third party: the user consents). Default explicit.</summary>
    public string? Consent { get; init; }
}

/// <summary>A client as the admin API shows it. <c>clientSecret</c> appears only in the answers to create and rotate.</summary>
public sealed record ClientView(
    string ClientId,
    string? DisplayName,
    string Type,
    string Consent,
    IReadOnlyList<string> GrantTypes,
    IReadOnlyList<string> Scopes,
    IReadOnlyList<string> RedirectUris,
    IReadOnlyList<string> PostLogoutRedirectUris,
    bool Enabled)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ClientSecret { get; init; }

    [JsonIgnore]
    public string? Version { get; init; }
}

/// <summary>The answer to a secret rotation: the new secret, shown this once.</summary>
public sealed record RotatedSecret(string ClientId, string ClientSecret);
