using Ruum.Identity.Features.Notifications.Templates;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;
using Ruum.Identity.Features.Account;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Tests.Infrastructure;
using Ruum.Identity.Tests.Otp;

namespace Ruum.Identity.Tests.Account;

/// <summary>"Your data, yourself": the person's own export and erasure from the account centre (GDPR Art. 15 and 17).</summary>
public sealed class SelfServicePrivacyTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private readonly RuumServer _server = fixture.Server;

    [Fact]
    public async Task Export_SignedIn_DownloadsTheAdminExportOfThemselves()
    {
        var (user, flow, _) = await SignedInAsync();

        var response = await flow.PostFormAsync("account/data", handler: "Export");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("ruum-account-", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'), StringComparison.Ordinal);
        var document = await response.JsonAsync();
        Assert.Equal(user.Email, document.GetProperty("profile").GetProperty("email").GetString());
        Assert.Equal(user.Id, document.GetProperty("profile").GetProperty("id").GetGuid());
        Assert.Contains(document.GetProperty("auditEvents").EnumerateArray(), e => e.GetProperty("type").GetString() == AuditEventTypes.SignInSucceeded);
        Assert.NotEmpty(document.GetProperty("tokens").EnumerateArray());
        Assert.Single(await _server.AuditOfAsync(user.Id, AuditEventTypes.AccountExported));
    }

    [Fact]
    public async Task Delete_WithItsConfirmation_ErasesEndsTokensSaysGoodbyeAndSignsOut()
    {
        var (user, flow, tokens) = await SignedInAsync();
        var other = new AuthorizationCodeFlow(_server);
        await other.GetCodeAsync(user.Email, TestData.Password);
        var auditBefore = (await _server.AuditOfAsync(user.Id)).Count;

        var response = await flow.PostFormAsync("account/delete", new Dictionary<string, string> { ["Confirmation"] = user.Email.ToUpperInvariant() });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(DeleteModel.DeletedPath, response.Headers.Location!.OriginalString);
        Assert.Null(await _server.UserAsync(user.Id));
        // The audit rows stay, under an id that names no one now (the pseudonym), and the erasure is one of them.
        var audit = await _server.AuditOfAsync(user.Id);
        Assert.True(audit.Count > auditBefore);
        Assert.Single(audit, e => e.Type == AuditEventTypes.AccountDeleted);
        Assert.DoesNotContain(audit, e => e.Details?.Contains(user.Email, StringComparison.OrdinalIgnoreCase) == true);
        var subject = user.Id.ToString("D");
        Assert.Equal(0, await _server.WithDatabaseAsync(db => db.Set<OpenIddictEntityFrameworkCoreToken>().CountAsync(t => t.Subject == subject)));
        Assert.Equal("invalid_grant", (await (await _server.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!)).JsonAsync())
            .GetProperty("error").GetString());
        Assert.False(await flow.IsSignedInAsync());
        Assert.False(await other.IsSignedInAsync());
        var goodbye = Assert.Single(_server.MessagesTo(user.Email), m => m.Subject == MailTemplates.GoodbyeSubject);
        Assert.Contains(user.DisplayName, goodbye.TextBody, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("someone-else@example.test")]
    public async Task Delete_WithoutItsConfirmation_ChangesNothing(string? confirmation)
    {
        var (user, flow, tokens) = await SignedInAsync();
        var fields = confirmation is null ? null : new Dictionary<string, string> { ["Confirmation"] = confirmation };

        var response = await flow.PostFormAsync("account/delete", fields);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(DeleteModel.ConfirmationMismatch, await response.TextAsync(), StringComparison.Ordinal);
        await AssertNothingChangedAsync(user, flow, tokens);
    }

    [Fact]
    public async Task Delete_WithoutAntiforgeryToken_ChangesNothing()
    {
        var (user, flow, tokens) = await SignedInAsync();

        var response = await flow.Browser.PostAsync("account/delete",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["Confirmation"] = user.Email }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertNothingChangedAsync(user, flow, tokens);
    }

    [Fact]
    public async Task Delete_StaleSecondFactor_AsksToReauthenticateAndChangesNothing()
    {
        var (user, flow, tokens) = await SignedInAsync();
        var page = await flow.Browser.GetAsync("account/delete");
        var token = AuthorizationCodeFlow.AntiforgeryToken(await page.Content.ReadAsStringAsync());
        _server.Clock.Advance(TimeSpan.FromMinutes(6));

        var response = await flow.Browser.PostAsync("account/delete", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Confirmation"] = user.Email,
            ["__RequestVerificationToken"] = token,
        }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/reauthenticate", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        await AssertNothingChangedAsync(user, flow, tokens);
    }

    private async Task AssertNothingChangedAsync(User user, AuthorizationCodeFlow flow, JsonElement tokens)
    {
        Assert.NotNull(await _server.UserAsync(user.Id));
        Assert.Empty(await _server.AuditOfAsync(user.Id, AuditEventTypes.AccountDeleted));
        Assert.DoesNotContain(_server.MessagesTo(user.Email), m => m.Subject == MailTemplates.GoodbyeSubject);
        Assert.True(await flow.IsSignedInAsync());
        Assert.Equal(HttpStatusCode.OK, (await _server.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!)).StatusCode);
    }

    private async Task<(User User, AuthorizationCodeFlow Flow, JsonElement Tokens)> SignedInAsync()
    {
        var user = await _server.CreateUserAsync();
        var flow = new AuthorizationCodeFlow(_server);
        var tokens = await flow.GetTokensAsync(user.Email, TestData.Password);
        return (user, flow, tokens);
    }
}
