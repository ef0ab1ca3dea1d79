using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ruum.Identity.Features.Account;

public sealed record AccountLink(string Href, string Label, string Page);

/// <summary>
/// One navigation across the account centre. The pages stay in their own feature folders; this list is the one place
/// that says which of them belong to the account centre, so they need no edit to share its layout.
/// </summary>
public static class AccountNavigation
{
    public const string Layout = "/Features/Account/_AccountLayout.cshtml";

    public static IReadOnlyList<AccountLink> Links { get; } =
    [
        new("/account", "Overview", "/Account/Index"),
        new("/account/password", "Password", "/Password/ChangePassword"),
        new("/account/authenticator", "Authenticator app", "/Otp/AuthenticatorEnrolment"),
        new("/account/devices", "Trusted devices", "/TrustedDevices/Devices"),
        new("/account/sessions", "Sessions", "/Sessions/Sessions"),
        new("/account/apps", "Applications", "/Sessions/Apps"),
        new("/account/activity", "Recent activity", "/Audit/Activity"),
        new("/account/data", "Your data", "/Account/Data"),
    ];

    /// <summary>Signed-in pages reached from a link above, which show the navigation too.</summary>
    private static readonly HashSet<string> Others = new(StringComparer.Ordinal) { "/Account/Email", "/Account/ConfirmEmail", "/Account/Delete" };

    public static string? PageOf(ActionDescriptor? action) => (action as PageActionDescriptor)?.ViewEnginePath;

    /// <summary>The layout <c>_ViewStart</c> gives a page: the account centre's for its pages, the plain one otherwise.</summary>
    public static string LayoutFor(ActionDescriptor? action) =>
        PageOf(action) is { } page && (Others.Contains(page) || Links.Any(l => l.Page == page)) ? Layout : "_Layout";

    public static bool IsCurrent(AccountLink link, ActionDescriptor? action) => link?.Page == PageOf(action);
}
