using System.Net;
using Ruum.Identity.Features.Notifications.Templates;
using Ruum.Identity.Tests.Admin;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Language;

/// <summary>A mail is written in the language of the page that caused it, in plain text and HTML.</summary>
public sealed class MailLanguageTests(RuumServerFixture server) : IClassFixture<RuumServerFixture>
{
    [Theory]
    [InlineData("es", "Restablece tu contraseña de Ruum", "Para elegir una contraseña nueva de Ruum, abre este enlace", "Elegir una contraseña nueva")]
    [InlineData("en", MailTemplates.ResetLinkSubject, "To choose a new Ruum password, open this link", "Choose a new password")]
    public async Task ResetLinkMail_AskedInALanguage_IsWrittenInIt(string language, string subject, string says, string linkText)
    {
        var user = await server.Server.CreateUserAsync();
        using var client = server.Server.CreateBrowserLikeClient(language: language);
        var form = await client.GetStringAsync("account/forgot-password");

        var response = await client.PostAsync("account/forgot-password", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = user.Email,
            ["__RequestVerificationToken"] = AuthorizationCodeFlow.AntiforgeryToken(form),
        }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var mail = await WaitForMailAsync(user.Email);
        Assert.Equal(subject, mail.Subject);
        Assert.Contains(says, mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("?token=", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains(says, WebUtility.HtmlDecode(mail.HtmlBody), StringComparison.Ordinal);
        Assert.Contains(linkText, WebUtility.HtmlDecode(mail.HtmlBody), StringComparison.Ordinal);
        Assert.DoesNotContain("token", mail.Subject, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(null, "Te han invitado a Ruum")]
    [InlineData("en", MailTemplates.InvitationSubject)]
    public async Task InvitationMail_ByTheAdminApi_IsInTheCallersLanguageSpanishByDefault(string? language, string subject)
    {
        var email = TestData.UniqueEmail("invited");
        using var admin = server.Server.CreatePlainClient(language);
        admin.DefaultRequestHeaders.Authorization = new("Bearer", await server.Server.AutomationTokenAsync());

        var response = await admin.PostJsonAsync("api/admin/users/invitations", new { email, displayName = "Invited Person" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(subject, (await WaitForMailAsync(email)).Subject);
    }

    [Fact]
    public async Task SignInCodeMail_InSpanish_HasTheCodeInTheBodiesOnly()
    {
        var user = await server.Server.CreateUserAsync();
        using var client = server.Server.CreateBrowserLikeClient(language: "es");
        var form = await client.GetStringAsync("account/login");

        await client.PostAsync("account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = user.Email,
            ["Input.Password"] = TestData.Password,
            ["__RequestVerificationToken"] = AuthorizationCodeFlow.AntiforgeryToken(form),
        }));

        var mail = Assert.Single(server.Server.MessagesTo(user.Email));
        var code = server.Server.LatestCode(user.Email);
        Assert.Equal(Mailbox.SpanishSignInCodeSubject, mail.Subject);
        Assert.DoesNotContain(code, mail.Subject, StringComparison.Ordinal);
        Assert.Contains($"Hola, {user.DisplayName}:", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains($"Tu código de inicio de sesión de Ruum es {code}. Caduca en", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains($"<strong>{code}</strong>", mail.HtmlBody, StringComparison.Ordinal);
    }

    /// <summary>The reset link is sent after the response (so timing tells nothing): wait for its file.</summary>
    private async Task<MimeKit.MimeMessage> WaitForMailAsync(string email)
    {
        for (var i = 0; i < 100; i++)
        {
            if (server.Server.MessagesTo(email) is [.., var last])
            {
                return last;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException("No mail to " + email);
    }
}
