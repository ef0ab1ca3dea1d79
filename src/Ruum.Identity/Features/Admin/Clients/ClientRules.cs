using System.Text.RegularExpressions;
using static OpenIddict.Abstractions.OpenIddictConstants;
using OidcScopes = OpenIddict.Abstractions.OpenIddictConstants.Scopes;

namespace Ruum.Identity.Features.Admin.Clients;

/// <summary>What a client registration must satisfy, field by field (the messages go back as problem+json errors).</summary>
internal static partial class ClientRules
{
    public const int MaxDisplayNameLength = 200;

    public static readonly string[] KnownGrantTypes = [GrantTypes.AuthorizationCode, GrantTypes.RefreshToken, GrantTypes.ClientCredentials];

    public static void CheckClientId(string? clientId, IDictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(clientId) || !ClientIdSyntax().IsMatch(clientId))
        {
            errors["clientId"] = ["The client id must be 3 to 100 characters of a-z, 0-9, '-', '_' and '.'."];
        }
        else if (Guid.TryParse(clientId, out _))
        {
            // A client-credentials token's sub is its client id, a user's is their id (a GUID): they must never meet.
            errors["clientId"] = ["The client id must not be shaped like a GUID: a client's tokens carry it as their subject, as users' carry their id."];
        }
    }

    public static void Check(ClientInput input, string type, IReadOnlySet<string> knownScopes, IDictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(input.DisplayName) || input.DisplayName.Length > MaxDisplayNameLength || input.DisplayName.Any(char.IsControl))
        {
            errors["displayName"] = [$"A display name of 1 to {MaxDisplayNameLength} characters, without control characters, is required."];
        }
        if (input.Consent is not (null or ConsentTypes.Implicit or ConsentTypes.Explicit))
        {
            errors["consent"] = ["Consent is 'implicit' (first party) or 'explicit' (third party)."];
        }
        var grants = input.GrantTypes ?? [];
        for (var i = 0; i < grants.Count; i++)
        {
            if (!KnownGrantTypes.Contains(grants[i], StringComparer.Ordinal))
            {
                errors[$"grantTypes[{i}]"] = ["Grant types are authorization_code, refresh_token and client_credentials."];
            }
        }
        if (grants.Count == 0 && type == ClientTypes.Public)
        {
            errors["grantTypes"] = ["A public client needs the authorization_code grant."];
        }
        if (grants.Contains(GrantTypes.ClientCredentials) && type != ClientTypes.Confidential)
        {
            errors["grantTypes"] = ["Only a confidential client may use client_credentials: a public client cannot keep a secret."];
        }
        if (grants.Contains(GrantTypes.RefreshToken) && !grants.Contains(GrantTypes.AuthorizationCode))
        {
            errors["grantTypes"] = ["refresh_token comes with authorization_code."];
        }
        var scopes = input.Scopes ?? [];
        for (var i = 0; i < scopes.Count; i++)
        {
            if (!knownScopes.Contains(scopes[i]))
            {
                errors[$"scopes[{i}]"] = [$"Unknown scope '{scopes[i]}': create it under /api/admin/scopes first."];
            }
        }
        if (scopes.Contains(OidcScopes.OfflineAccess) && !grants.Contains(GrantTypes.RefreshToken))
        {
            errors["scopes"] = ["offline_access needs the refresh_token grant."];
        }
        var redirects = input.RedirectUris ?? [];
        if (grants.Contains(GrantTypes.AuthorizationCode) && redirects.Count == 0)
        {
            errors["redirectUris"] = ["The authorization_code grant needs at least one redirect URI."];
        }
        CheckUris("redirectUris", redirects, errors);
        CheckUris("postLogoutRedirectUris", input.PostLogoutRedirectUris ?? [], errors);
    }

    /// <summary>
    /// RFC 9700 §2.1 and §4.1: exact, absolute redirect URIs; https, or http only to this machine (RFC 8252 §7.3);
    /// no fragment (RFC 6749 §3.1.2), no wildcard, no userinfo (which hides the real host from a reader).
    /// </summary>
    public static string? RedirectUriProblem(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 2000 || !Uri.TryCreate(value, UriKind.Absolute, out var uri))
        {
            return "Must be an absolute URI.";
        }
        if (value.Contains('*', StringComparison.Ordinal))
        {
            return "Must not contain wildcards: redirect URIs are compared exactly.";
        }
        if (value.Contains('#', StringComparison.Ordinal))
        {
            return "Must not have a fragment.";
        }
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "Must not carry a user name or password.";
        }
        return uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback
            ? null
            : "Must use https (http only for loopback: localhost, 127.0.0.1 or [::1]).";
    }

    private static void CheckUris(string field, IReadOnlyList<string> uris, IDictionary<string, string[]> errors)
    {
        if (uris.Count > 20)
        {
            errors[field] = ["At most 20 URIs."];
            return;
        }
        for (var i = 0; i < uris.Count; i++)
        {
            if (RedirectUriProblem(uris[i]) is { } problem)
            {
                errors[$"{field}[{i}]"] = [problem];
            }
        }
    }

    [GeneratedRegex("^[a-z0-9._-]{3,100}$", RegexOptions.CultureInvariant)]
    private static partial Regex ClientIdSyntax();
}
