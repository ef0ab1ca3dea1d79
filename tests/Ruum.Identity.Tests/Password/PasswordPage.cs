using System.Net;
using System.Text.RegularExpressions;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Password;

/// <summary>/account/password as a browser without JavaScript uses it.</summary>
internal static partial class PasswordPage
{
    public const string NewPassword = "Brand-New-Passphrase-42";

    /// <summary>Opens the page and posts its form; <paramref name="confirm"/> defaults to the new password.</summary>
    public static async Task<HttpResponseMessage> ChangePasswordAsync(this AuthorizationCodeFlow flow, string current, string replacement,
        string? confirm = null, bool withAntiforgery = true)
    {
        var page = await flow.Browser.GetAsync("account/password");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var form = new Dictionary<string, string>
        {
            ["Input.CurrentPassword"] = current,
            ["Input.NewPassword"] = replacement,
            ["Input.ConfirmPassword"] = confirm ?? replacement,
        };
        if (withAntiforgery)
        {
            form["__RequestVerificationToken"] = AuthorizationCodeFlow.AntiforgeryToken(await page.Content.ReadAsStringAsync());
        }
        return await flow.Browser.PostAsync("account/password", new FormUrlEncodedContent(form));
    }

    /// <summary>The message sits in the error element the field names in aria-describedby, and the field is marked invalid.</summary>
    public static void AssertFieldError(string html, string field, string errorId, string message)
    {
        var input = Regex.Match(html, $"<input[^>]*name=\"Input.{field}\"[^>]*>").Value;
        Assert.Contains(errorId, Regex.Match(input, "aria-describedby=\"([^\"]*)\"").Groups[1].Value, StringComparison.Ordinal);
        Assert.Contains("aria-invalid=\"true\"", input, StringComparison.Ordinal);
        Assert.Matches($"id=\"{errorId}\"><span[^>]*>{Regex.Escape(message)}</span>", html);
    }
}
