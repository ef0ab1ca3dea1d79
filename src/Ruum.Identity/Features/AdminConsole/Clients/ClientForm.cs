using Ruum.Identity.Features.Admin.Clients;

namespace Ruum.Identity.Features.AdminConsole.Clients;

/// <summary>A client as its form holds it: lists typed one per line (URIs) or separated by spaces (scopes).</summary>
public sealed class ClientForm
{
    public string? ClientId { get; set; }

    public string? DisplayName { get; set; }

    public string Type { get; set; } = "confidential";

    public List<string> GrantTypes { get; set; } = [];

    public string? Scopes { get; set; }

    public string? RedirectUris { get; set; }

    public string? PostLogoutRedirectUris { get; set; }

    public string Consent { get; set; } = "explicit";

    /// <summary>The version the form was shown with (the API's ETag).</summary>
    public string? Version { get; set; }

    public ClientInput ToInput() => new()
    {
        ClientId = ClientId?.Trim(),
        DisplayName = DisplayName,
        Type = Type,
        GrantTypes = GrantTypes,
        Scopes = Split(Scopes, [' ', '\n', '\r', '\t', ',']),
        RedirectUris = Split(RedirectUris, ['\n', '\r']),
        PostLogoutRedirectUris = Split(PostLogoutRedirectUris, ['\n', '\r']),
        Consent = Consent,
    };

    public static ClientForm From(ClientView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return new()
        {
            ClientId = view.ClientId,
            DisplayName = view.DisplayName,
            Type = view.Type,
            GrantTypes = [.. view.GrantTypes],
            Scopes = string.Join(' ', view.Scopes),
            RedirectUris = string.Join('\n', view.RedirectUris),
            PostLogoutRedirectUris = string.Join('\n', view.PostLogoutRedirectUris),
            Consent = view.Consent,
            Version = view.Version,
        };
    }

    private static List<string> Split(string? text, char[] separators) =>
        [.. (text ?? "").Split(separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
