using Ruum.Identity.Features.Notifications.Templates;
using System.Net;
using Ruum.Identity.Features.Account;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Tests.Infrastructure;
using Ruum.Identity.Tests.Otp;

namespace Ruum.Identity.Tests.Account;

public sealed class EmailChangeTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private readonly RuumServer _server = fixture.Server;

    [Fact]
    public async Task ChangeEmail_ConfirmedFromTheSameAccount_ChangesVerifiesAndAudits()
    {
        var (user, flow) = await SignedInAsync();
        var newEmail = TestData.UniqueEmail("new");

        var request = await flow.RequestEmailChangeAsync(newEmail);

        Assert.Equal(HttpStatusCode.OK, request.StatusCode);
        Assert.Contains(newEmail, AccountPages.MessageOf(await request.TextAsync(), "email-notice"), StringComparison.Ordinal);
        var link = _server.LinkTo(newEmail, EmailChanges.ConfirmPath);
        var notice = Assert.Single(_server.MessagesTo(user.Email), m => m.Subject == MailTemplates.AddressChangeSubject);
        Assert.Contains(newEmail, notice.TextBody, StringComparison.Ordinal);
        Assert.Contains(EmailChanges.CancelPath + "?token=", notice.TextBody, StringComparison.Ordinal);
        // Opening the link (as a mail scanner would) changes nothing.
        var opened = await flow.Browser.GetAsync(AccountPages.RelativeOf(link));
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        Assert.Equal(user.Email, (await _server.UserAsync(user.Id))!.Email);
        // The token is stored only as its keyed hash.
        var pending = Assert.Single(await _server.EmailChangesOfAsync(user.Id));
        Assert.DoesNotContain(AccountPages.TokenOf(link), pending.TokenHash, StringComparison.Ordinal);

        var confirmed = await flow.ConfirmEmailChangeAsync(link);

        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal(ConfirmEmailModel.Changed, AccountPages.MessageOf(await confirmed.TextAsync(), "email-notice"));
        var after = (await _server.UserAsync(user.Id))!;
        Assert.Equal(newEmail, after.Email);
        Assert.Equal(EmailAddress.Normalize(newEmail), after.NormalizedEmail);
        Assert.True(after.EmailVerified);
        Assert.Equal(AuditOutcomes.Success, Assert.Single(await _server.AuditOfAsync(user.Id, AuditEventTypes.EmailChanged)).Outcome);
        Assert.Equal(AuditOutcomes.Success, Assert.Single(await _server.AuditOfAsync(user.Id, AuditEventTypes.EmailChangeRequested)).Outcome);
        var tokens = await new AuthorizationCodeFlow(_server).GetTokensAsync(newEmail, TestData.Password);
        Assert.NotEmpty(tokens.GetProperty("access_token").GetString()!);
    }

    [Fact]
    public async Task ChangeEmail_ConfirmedFromAnotherAccountsSession_IsRefusedAndNothingChanges()
    {
        var (user, flow) = await SignedInAsync();
        var (other, otherFlow) = await SignedInAsync();
        var newEmail = TestData.UniqueEmail("new");
        await flow.RequestEmailChangeAsync(newEmail);
        var link = _server.LinkTo(newEmail, EmailChanges.ConfirmPath);

        var opened = await otherFlow.Browser.GetAsync(AccountPages.RelativeOf(link));
        var confirmed = await otherFlow.ConfirmEmailChangeAsync(link);

        Assert.Equal(HttpStatusCode.Forbidden, opened.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, confirmed.StatusCode);
        Assert.Equal(ConfirmEmailModel.OtherAccount, AccountPages.MessageOf(await confirmed.TextAsync(), "email-error"));
        Assert.Equal(user.Email, (await _server.UserAsync(user.Id))!.Email);
        Assert.Equal(other.Email, (await _server.UserAsync(other.Id))!.Email);
        Assert.Null(Assert.Single(await _server.EmailChangesOfAsync(user.Id)).ConfirmedAt);
        Assert.Equal(AuditOutcomes.Failure, Assert.Single(await _server.AuditOfAsync(user.Id, AuditEventTypes.EmailChanged)).Outcome);
        // The link still works for the account that asked.
        Assert.Equal(HttpStatusCode.OK, (await flow.ConfirmEmailChangeAsync(link)).StatusCode);
        Assert.Equal(newEmail, (await _server.UserAsync(user.Id))!.Email);
    }

    [Theory]
    [InlineData("upper")]
    [InlineData("fullwidth")]
    public async Task ChangeEmail_ToAnotherUsersAddressInAnotherForm_IsRefusedAndNothingIsSent(string form)
    {
        var taken = await _server.CreateUserAsync(TestData.UniqueEmail("taken"));
        var (user, flow) = await SignedInAsync();
        // The same address after case folding, or after NFKC (fullwidth letters fold to ASCII).
        var local = taken.Email[..taken.Email.IndexOf('@', StringComparison.Ordinal)];
        var variant = form == "upper" ? taken.Email.ToUpperInvariant()
            : string.Concat(local.Select(c => char.IsAsciiLetterLower(c) ? (char)(c - 'a' + 'ａ') : c)) + taken.Email[local.Length..];
        Assert.Equal(taken.NormalizedEmail, EmailAddress.Normalize(variant));
        var mailsBefore = Directory.Exists(_server.MailFolder) ? Directory.GetFiles(_server.MailFolder).Length : 0;

        var response = await flow.RequestEmailChangeAsync(variant);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(EmailModel.Taken, await response.TextAsync(), StringComparison.Ordinal);
        Assert.Empty(await _server.EmailChangesOfAsync(user.Id));
        Assert.Equal(mailsBefore, Directory.GetFiles(_server.MailFolder).Length);
        Assert.Equal(user.Email, (await _server.UserAsync(user.Id))!.Email);
        Assert.Contains("\"reason\":\"taken\"", Assert.Single(await _server.AuditOfAsync(user.Id, AuditEventTypes.EmailChangeRequested)).Details,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangeEmail_AddressTakenAfterTheRequest_IsRefusedAtConfirmation()
    {
        var (user, flow) = await SignedInAsync();
        var newEmail = TestData.UniqueEmail("new");
        await flow.RequestEmailChangeAsync(newEmail);
        var link = _server.LinkTo(newEmail, EmailChanges.ConfirmPath);
        await _server.CreateUserAsync(newEmail.ToUpperInvariant());

        var confirmed = await flow.ConfirmEmailChangeAsync(link);

        Assert.Equal(HttpStatusCode.Conflict, confirmed.StatusCode);
        Assert.Equal(user.Email, (await _server.UserAsync(user.Id))!.Email);
    }

    [Fact]
    public async Task ChangeEmail_LinkReused_IsRefused()
    {
        var (user, flow) = await SignedInAsync();
        var newEmail = TestData.UniqueEmail("new");
        await flow.RequestEmailChangeAsync(newEmail);
        var link = _server.LinkTo(newEmail, EmailChanges.ConfirmPath);
        await flow.ConfirmEmailChangeAsync(link);
        // Back to the first address by another change, then the first link again.
        var back = TestData.UniqueEmail("back");
        await flow.RequestEmailChangeAsync(back);
        await flow.ConfirmEmailChangeAsync(_server.LinkTo(back, EmailChanges.ConfirmPath));

        var reused = await flow.ConfirmEmailChangeAsync(link);

        Assert.Equal(HttpStatusCode.BadRequest, reused.StatusCode);
        Assert.Equal(ConfirmEmailModel.LinkMessage(EmailChangeState.Used), AccountPages.MessageOf(await reused.TextAsync(), "email-error"));
        Assert.Equal(back, (await _server.UserAsync(user.Id))!.Email);
    }

    [Fact]
    public async Task ChangeEmail_LinkExpired_IsRefusedAndNothingChanges()
    {
        var (user, flow) = await SignedInAsync();
        var newEmail = TestData.UniqueEmail("new");
        await flow.RequestEmailChangeAsync(newEmail);
        var link = _server.LinkTo(newEmail, EmailChanges.ConfirmPath);
        _server.Clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));
        // The session ended with the day; the user signs in again, second factor and all.
        var fresh = await SignedInAsync(user);

        var confirmed = await fresh.ConfirmEmailChangeAsync(link);

        Assert.Equal(HttpStatusCode.BadRequest, confirmed.StatusCode);
        Assert.Equal(ConfirmEmailModel.LinkMessage(EmailChangeState.Expired), AccountPages.MessageOf(await confirmed.TextAsync(), "email-error"));
        Assert.Equal(user.Email, (await _server.UserAsync(user.Id))!.Email);
        Assert.False((await _server.UserAsync(user.Id))!.EmailVerified);
    }

    [Fact]
    public async Task ChangeEmail_LinkAlteredByOneCharacter_IsRefusedAndNothingChanges()
    {
        var (user, flow) = await SignedInAsync();
        var newEmail = TestData.UniqueEmail("new");
        await flow.RequestEmailChangeAsync(newEmail);
        var link = _server.LinkTo(newEmail, EmailChanges.ConfirmPath);
        var altered = link[..^1] + (link[^1] == 'A' ? 'B' : 'A');

        var confirmed = await flow.ConfirmEmailChangeAsync(altered);

        Assert.Equal(HttpStatusCode.BadRequest, confirmed.StatusCode);
        Assert.Equal(ConfirmEmailModel.LinkMessage(EmailChangeState.Unknown), AccountPages.MessageOf(await confirmed.TextAsync(), "email-error"));
        Assert.Equal(user.Email, (await _server.UserAsync(user.Id))!.Email);
        Assert.Null(Assert.Single(await _server.EmailChangesOfAsync(user.Id)).ConfirmedAt);
    }

    [Fact]
    public async Task ChangeEmail_ReportedFromTheOldAddress_CannotBeConfirmed()
    {
        var (user, flow) = await SignedInAsync();
        var newEmail = TestData.UniqueEmail("new");
        await flow.RequestEmailChangeAsync(newEmail);
        var link = _server.LinkTo(newEmail, EmailChanges.ConfirmPath);
        var cancel = _server.LinkTo(user.Email, EmailChanges.CancelPath);
        // The person reporting needs no session: the link is the authority.
        var stranger = new AuthorizationCodeFlow(_server);

        var reported = await stranger.PostFormAsync(AccountPages.RelativeOf(cancel),
            new Dictionary<string, string> { ["Token"] = AccountPages.TokenOf(cancel) });
        var confirmed = await flow.ConfirmEmailChangeAsync(link);

        Assert.Equal(HttpStatusCode.OK, reported.StatusCode);
        Assert.Equal(CancelEmailModel.Cancelled, AccountPages.MessageOf(await reported.TextAsync(), "cancel-message"));
        Assert.Equal(HttpStatusCode.BadRequest, confirmed.StatusCode);
        Assert.Equal(ConfirmEmailModel.LinkMessage(EmailChangeState.Cancelled), AccountPages.MessageOf(await confirmed.TextAsync(), "email-error"));
        Assert.Equal(user.Email, (await _server.UserAsync(user.Id))!.Email);
        Assert.Single(await _server.AuditOfAsync(user.Id, AuditEventTypes.EmailChangeReported));
    }

    [Fact]
    public async Task ChangeEmail_StaleSecondFactor_AsksToReauthenticateAndSendsNothing()
    {
        var (user, flow) = await SignedInAsync();
        var page = await flow.Browser.GetAsync("account/email");
        var token = AuthorizationCodeFlow.AntiforgeryToken(await page.Content.ReadAsStringAsync());
        _server.Clock.Advance(TimeSpan.FromMinutes(6));

        var response = await flow.Browser.PostAsync("account/email", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.NewEmail"] = TestData.UniqueEmail("new"),
            ["__RequestVerificationToken"] = token,
        }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/reauthenticate", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Empty(await _server.EmailChangesOfAsync(user.Id));
    }

    private async Task<(User User, AuthorizationCodeFlow Flow)> SignedInAsync()
    {
        var user = await _server.CreateUserAsync();
        return (user, await SignedInAsync(user));
    }

    private async Task<AuthorizationCodeFlow> SignedInAsync(User user)
    {
        var flow = new AuthorizationCodeFlow(_server);
        await flow.GetCodeAsync(user.Email, TestData.Password);
        return flow;
    }
}
