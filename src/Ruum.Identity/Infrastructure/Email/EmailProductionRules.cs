using Ruum.Identity.Infrastructure.Hosting;

namespace Ruum.Identity.Infrastructure.Email;

/// <summary>Outside Development sign-in codes leave by SMTP over TLS: never a folder on local disk, never in clear.</summary>
internal sealed class EmailProductionRules(IHostEnvironment environment) : ProductionRules<EmailOptions>(environment)
{
    protected override IEnumerable<string> Check(EmailOptions options)
    {
        if (options.Delivery == EmailDelivery.PickupFolder)
        {
            yield return $"{EmailOptions.Section}:Delivery must be Smtp outside Development: the pickup folder would keep sign-in codes on disk.";
        }
        if (string.IsNullOrWhiteSpace(options.SmtpHost))
        {
            yield return $"{EmailOptions.Section}:SmtpHost is missing: set Ruum__Email__SmtpHost (and SmtpUserName, SmtpPassword) to the mail provider.";
        }
        if (options.SmtpTls == SmtpTls.None)
        {
            yield return $"{EmailOptions.Section}:SmtpTls cannot be None outside Development: sign-in codes must not cross the network in clear.";
        }
    }
}
