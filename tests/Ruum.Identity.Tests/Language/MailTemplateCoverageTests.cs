using System.Globalization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Ruum.Identity.Features.Notifications;
using Ruum.Identity.Features.Notifications.Templates;

namespace Ruum.Identity.Tests.Language;

/// <summary>Every mail has every sentence in Spanish: a sentence missing from MailTemplates.es.resx fails here, not in a customer's inbox.</summary>
public sealed class MailTemplateCoverageTests
{
    [Fact]
    public void EveryMail_InSpanish_FindsEverySentence()
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo("es");
        try
        {
            var localizer = new StrictLocalizer();
            var templates = new MailTemplates(localizer);
            var facts = new NoticeFacts("Ana", templates.FormatTime(DateTimeOffset.UnixEpoch), "Firefox", "https://id.example/account/activity");
            var mails = new List<RenderedEmail>
            {
                templates.SignInCode("Ana", "123456", TimeSpan.FromMinutes(10)),
                templates.ResetLink("Ana", "https://id.example/r", TimeSpan.FromMinutes(30)),
                templates.ResetCode("Ana", "123456", TimeSpan.FromMinutes(10)),
                templates.Invitation("Ana", null, "https://id.example/i", TimeSpan.FromDays(7)),
                templates.Invitation("Ana", "Obras Norte", "https://id.example/i", TimeSpan.FromDays(7)),
                templates.ConfirmNewAddress("Ana", "https://id.example/c", TimeSpan.FromHours(24)),
                templates.AddressChangeNotice("Ana", "ana@example.org", "https://id.example/x"),
                templates.Goodbye("Ana"),
            };
            mails.AddRange(Enum.GetValues<CredentialNotice>().Select(notice => templates.Notice(notice, facts)));

            Assert.Empty(localizer.Missing);
            Assert.All(mails, mail => Assert.StartsWith("Hola, Ana:", mail.Text, StringComparison.Ordinal));
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    private sealed class StrictLocalizer : IStringLocalizer<MailTemplates>
    {
        private readonly IStringLocalizer _inner = new ResourceManagerStringLocalizerFactory(
            Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance).Create(typeof(MailTemplates));

        public List<string> Missing { get; } = [];

        public LocalizedString this[string name] => Check(_inner[name]);

        public LocalizedString this[string name, params object[] arguments] => Check(_inner[name, arguments]);

        public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) => _inner.GetAllStrings(includeParentCultures);

        private LocalizedString Check(LocalizedString value)
        {
            if (value.ResourceNotFound)
            {
                Missing.Add(value.Name);
            }
            return value;
        }
    }
}
