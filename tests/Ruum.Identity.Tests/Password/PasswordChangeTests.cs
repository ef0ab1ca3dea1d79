using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Login;
using Ruum.Identity.Features.Password;
using Ruum.Identity.Features.TrustedDevices;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Tests.Infrastructure;
using Ruum.Identity.Tests.Otp;

namespace Ruum.Identity.Tests.Password;

public sealed class PasswordChangeTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private readonly RuumServer _server = fixture.Server;

    [Fact]
    public async Task ChangePassword_RightInput_OldPasswordFailsAndNewOneWorks()
    {
        var (user, flow, _) = await SignedInAsync();

        var response = await flow.ChangePasswordAsync(TestData.Password, PasswordPage.NewPassword);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(ChangePasswordModel.Changed, await response.TextAsync(), StringComparison.Ordinal);
        var stored = await UserAsync(user.Id);
        Assert.NotEqual(user.PasswordHash, stored.PasswordHash);
        Assert.Equal(_server.Clock.GetUtcNow(), stored.UpdatedAt, TimeSpan.FromMilliseconds(1));
        var oldPassword = await new AuthorizationCodeFlow(_server).SignInAsync(user.Email, TestData.Password);
        Assert.Contains(LoginModel.FailureMessage, await oldPassword.TextAsync(), StringComparison.Ordinal);
        _server.Clock.Advance(TimeSpan.FromSeconds(2));
        var tokens = await new AuthorizationCodeFlow(_server).GetTokensAsync(user.Email, PasswordPage.NewPassword);
        Assert.NotEmpty(tokens.GetProperty("access_token").GetString()!);
    }

    [Fact]
    public async Task ChangePassword_RightInput_RevokesEveryTrustedDeviceAndAudits()
    {
        var (user, flow, _) = await SignedInAsync(trustDevice: true);
        await SignedInAsync(user, trustDevice: true);
        Assert.Equal(2, (await DevicesOfAsync(user.Id)).Count(d => d.RevokedAt is null));

        await flow.ChangePasswordAsync(TestData.Password, PasswordPage.NewPassword);

        Assert.All(await DevicesOfAsync(user.Id), d => Assert.NotNull(d.RevokedAt));
        var changed = Assert.Single(await _server.AuditOfAsync(user.Id, AuditEventTypes.PasswordChanged));
        Assert.Equal(AuditOutcomes.Success, changed.Outcome);
        var revoked = Assert.Single(await _server.AuditOfAsync(user.Id, AuditEventTypes.DeviceRevoked));
        Assert.Contains("\"count\":2", revoked.Details, StringComparison.Ordinal);
        Assert.Contains("\"reason\":\"password_changed\"", revoked.Details, StringComparison.Ordinal);
        var activity = await (await flow.Browser.GetAsync("account/activity")).TextAsync();
        Assert.Contains("Password changed", activity, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangePassword_RightInput_EarlierRefreshTokenFailsWithInvalidGrant()
    {
        var (_, flow, tokens) = await SignedInAsync();

        await flow.ChangePasswordAsync(TestData.Password, PasswordPage.NewPassword);
        var refresh = await _server.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!);

        Assert.Equal(HttpStatusCode.BadRequest, refresh.StatusCode);
        Assert.Equal("invalid_grant", (await refresh.JsonAsync()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task ChangePassword_RightInput_EndsOtherBrowsersButKeepsThisOne()
    {
        var (user, flow, _) = await SignedInAsync();
        var (_, other, _) = await SignedInAsync(user);
        Assert.Null(await SilentAuthorizeErrorAsync(other));

        await flow.ChangePasswordAsync(TestData.Password, PasswordPage.NewPassword);

        Assert.Equal("login_required", await SilentAuthorizeErrorAsync(other));
        Assert.Null(await SilentAuthorizeErrorAsync(flow));
        Assert.True(await flow.IsSignedInAsync());
    }

    [Fact]
    public async Task ChangePassword_WrongCurrentPassword_IsRefusedAndCountedTowardTheLockout()
    {
        var (user, flow, _) = await SignedInAsync(trustDevice: true);

        var response = await flow.ChangePasswordAsync("Not-My-Password-123", PasswordPage.NewPassword);

        PasswordPage.AssertFieldError(await response.TextAsync(), "CurrentPassword", "current-password-error", ChangePasswordModel.WrongCurrentPassword);
        await AssertNothingChangedAsync(user);
        // Typed in the user's trusted device, so counted on that device (a stranger's lock does not stop it).
        Assert.Equal(1, Assert.Single(await DevicesOfAsync(user.Id)).FailedPasswords);
        var failure = Assert.Single(await _server.AuditOfAsync(user.Id, AuditEventTypes.SignInFailed));
        Assert.Contains("\"reason\":\"wrong_password\"", failure.Details, StringComparison.Ordinal);
        Assert.True(await flow.IsSignedInAsync());
    }

    [Fact]
    public async Task ChangePassword_WithoutTheCurrentPasswordField_IsRefusedAndNothingChanges()
    {
        var (user, flow, _) = await SignedInAsync(trustDevice: true);
        var page = await flow.Browser.GetAsync("account/password");

        var response = await flow.Browser.PostAsync("account/password", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.NewPassword"] = PasswordPage.NewPassword,
            ["Input.ConfirmPassword"] = PasswordPage.NewPassword,
            ["__RequestVerificationToken"] = AuthorizationCodeFlow.AntiforgeryToken(await page.Content.ReadAsStringAsync()),
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        PasswordPage.AssertFieldError(await response.TextAsync(), "CurrentPassword", "current-password-error", "Enter your current password.");
        await AssertNothingChangedAsync(user);
        Assert.DoesNotContain(_server.MessagesTo(user.Email), m => m.Subject?.Contains("password was changed", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task ChangePassword_NewPasswordTooShort_IsRefused()
    {
        var (user, flow, _) = await SignedInAsync(trustDevice: true);

        var response = await flow.ChangePasswordAsync(TestData.Password, "Short-pw-11");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        PasswordPage.AssertFieldError(await response.TextAsync(), "NewPassword", "new-password-error", ChangePasswordModel.TooShort(12));
        await AssertNothingChangedAsync(user);
    }

    [Fact]
    public async Task ChangePassword_NewPasswordOver1KiB_IsRefused()
    {
        var (user, flow, _) = await SignedInAsync(trustDevice: true);

        // 513 two-byte letters: 1026 UTF-8 bytes from only 513 characters.
        var response = await flow.ChangePasswordAsync(TestData.Password, new string('é', 513));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        PasswordPage.AssertFieldError(await response.TextAsync(), "NewPassword", "new-password-error", ChangePasswordModel.TooLong);
        await AssertNothingChangedAsync(user);
    }

    [Theory]
    [InlineData("10 KB", NewPasswordRules.TooLong)]
    [InlineData("            ", NewPasswordRules.OnlySpaces)]
    [InlineData("Password1234", NewPasswordRules.Common)]
    [InlineData("PASSWORD1234", NewPasswordRules.Common)]
    [InlineData("\uFF30\uFF41\uFF53\uFF53\uFF57\uFF4F\uFF52\uFF44\uFF11\uFF12\uFF13\uFF14", NewPasswordRules.Common)] // full-width: NFKC folds it
    [InlineData("ruumruumruum", NewPasswordRules.ProductName)]
    [InlineData("Quiet-RUUM-meadow-7", NewPasswordRules.ProductName)]
    [InlineData("{email}", NewPasswordRules.Personal)]
    [InlineData("{local}-meadow-lantern", NewPasswordRules.Personal)]
    [InlineData("{name} Meadow Lantern", NewPasswordRules.Personal)]
    public async Task ChangePassword_NewPasswordGuessable_IsRefusedWithTheFieldMessage(string replacement, string message)
    {
        var (user, flow, _) = await SignedInAsync(trustDevice: true);
        replacement = replacement == "10 KB" ? new string('x', 10 * 1024)
            : replacement.Replace("{email}", user.Email, StringComparison.Ordinal)
                .Replace("{local}", user.Email[..user.Email.IndexOf('@', StringComparison.Ordinal)], StringComparison.Ordinal)
                .Replace("{name}", user.DisplayName.ToUpperInvariant(), StringComparison.Ordinal);

        var response = await flow.ChangePasswordAsync(TestData.Password, replacement);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        PasswordPage.AssertFieldError(await response.TextAsync(), "NewPassword", "new-password-error", message);
        await AssertNothingChangedAsync(user);
    }

    [Fact]
    public async Task CommonPasswords_List_HoldsTheZxcvbnEntriesOfEightOrMoreCharacters()
    {
        var common = _server.Services.GetRequiredService<CommonPasswords>();

        Assert.Equal(11_611, common.Count);
        Assert.True(common.Contains(CommonPasswords.Fold("Password1234")));
        Assert.False(common.Contains(CommonPasswords.Fold(PasswordPage.NewPassword)));
    }

    [Fact]
    public async Task ChangePassword_ConfirmationDiffers_IsRefused()
    {
        var (user, flow, _) = await SignedInAsync(trustDevice: true);

        var response = await flow.ChangePasswordAsync(TestData.Password, PasswordPage.NewPassword, PasswordPage.NewPassword + "!");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        PasswordPage.AssertFieldError(await response.TextAsync(), "ConfirmPassword", "confirm-password-error", "The two new passwords do not match.");
        await AssertNothingChangedAsync(user);
    }

    [Fact]
    public async Task ChangePassword_SameAsCurrent_IsRefused()
    {
        var (user, flow, _) = await SignedInAsync(trustDevice: true);

        var response = await flow.ChangePasswordAsync(TestData.Password, TestData.Password);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        PasswordPage.AssertFieldError(await response.TextAsync(), "NewPassword", "new-password-error", ChangePasswordModel.SameAsCurrent);
        await AssertNothingChangedAsync(user);
    }

    [Fact]
    public async Task ChangePassword_EmptyFields_AreEachNamed()
    {
        var (user, flow, _) = await SignedInAsync();

        var response = await flow.ChangePasswordAsync("", "", "");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.TextAsync();
        PasswordPage.AssertFieldError(html, "CurrentPassword", "current-password-error", "Enter your current password.");
        PasswordPage.AssertFieldError(html, "NewPassword", "new-password-error", "Choose a new password.");
        PasswordPage.AssertFieldError(html, "ConfirmPassword", "confirm-password-error", "Enter the new password again.");
        await AssertNothingChangedAsync(user);
    }

    [Fact]
    public async Task ChangePassword_WithoutAntiforgeryToken_Returns400()
    {
        var (user, flow, _) = await SignedInAsync(trustDevice: true);

        var response = await flow.ChangePasswordAsync(TestData.Password, PasswordPage.NewPassword, withAntiforgery: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertNothingChangedAsync(user);
    }

    [Fact]
    public async Task PasswordPage_WithoutSession_RedirectsToSignIn()
    {
        var flow = new AuthorizationCodeFlow(_server);

        var page = await flow.Browser.GetAsync("account/password");
        var post = await flow.Browser.PostAsync("account/password", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.CurrentPassword"] = TestData.Password,
            ["Input.NewPassword"] = PasswordPage.NewPassword,
            ["Input.ConfirmPassword"] = PasswordPage.NewPassword,
        }));

        foreach (var response in new[] { page, post })
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task PasswordPage_Fields_CarryTheRightAutocompleteAndAreLinkedFromTheAccountPages()
    {
        var (_, flow, _) = await SignedInAsync();

        var html = await (await flow.Browser.GetAsync("account/password")).TextAsync();

        Assert.Matches("<input[^>]*autocomplete=\"current-password\"[^>]*name=\"Input.CurrentPassword\"", html);
        Assert.Matches("<input[^>]*autocomplete=\"new-password\"[^>]*name=\"Input.NewPassword\"", html);
        Assert.Matches("<input[^>]*autocomplete=\"new-password\"[^>]*name=\"Input.ConfirmPassword\"", html);
        foreach (var account in new[] { "account/devices", "account/activity" })
        {
            Assert.Contains("href=\"/account/password\"", await (await flow.Browser.GetAsync(account)).TextAsync(), StringComparison.Ordinal);
        }
    }

    private async Task<(User User, AuthorizationCodeFlow Flow, JsonElement Tokens)> SignedInAsync(bool trustDevice = false) =>
        await SignedInAsync(await _server.CreateUserAsync(), trustDevice);

    /// <summary>A browser signed in through the real pages (code step passed), with the tokens the client got.</summary>
    private async Task<(User User, AuthorizationCodeFlow Flow, JsonElement Tokens)> SignedInAsync(User user, bool trustDevice = false)
    {
        var flow = new AuthorizationCodeFlow(_server) { TrustDevice = trustDevice };
        var tokens = await flow.GetTokensAsync(user.Email, TestData.Password);
        return (await UserAsync(user.Id), flow, tokens);
    }

    private async Task AssertNothingChangedAsync(User before)
    {
        var after = await UserAsync(before.Id);
        Assert.Equal(before.PasswordHash, after.PasswordHash);
        Assert.Equal(before.SecurityStamp, after.SecurityStamp);
        Assert.Equal(before.UpdatedAt, after.UpdatedAt);
        Assert.All(await DevicesOfAsync(before.Id), d => Assert.Null(d.RevokedAt));
        Assert.Empty(await _server.AuditOfAsync(before.Id, AuditEventTypes.PasswordChanged));
        Assert.Empty(await _server.AuditOfAsync(before.Id, AuditEventTypes.DeviceRevoked));
    }

    private async Task<User> UserAsync(Guid id) =>
        await _server.WithDatabaseAsync(db => db.Set<User>().AsNoTracking().SingleAsync(u => u.Id == id));

    private async Task<List<TrustedDevice>> DevicesOfAsync(Guid userId) =>
        await _server.WithDatabaseAsync(db => db.Set<TrustedDevice>().AsNoTracking().Where(d => d.UserId == userId).ToListAsync());

    private static async Task<string?> SilentAuthorizeErrorAsync(AuthorizationCodeFlow flow)
    {
        var response = await flow.Browser.GetAsync(flow.AuthorizeUrl(new Dictionary<string, string?> { ["prompt"] = "none" }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var query = QueryHelpers.ParseQuery(response.Headers.Location!.Query);
        return query.TryGetValue("error", out var error) ? error.ToString() : null;
    }
}
