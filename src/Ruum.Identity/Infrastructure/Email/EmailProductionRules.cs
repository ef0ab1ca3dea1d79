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
        if (options.SmtpTls == SmtpTls.None && !IsPrivateHost(options.SmtpHost))
        {
            yield return $"{EmailOptions.Section}:SmtpTls cannot be None outside Development for {options.SmtpHost}: "
                + "sign-in codes must not cross the network in clear (None is only for a mail catcher on this machine or its container network).";
        }
    }

    // "localhost", a loopback address or a single-label name (a container on the compose network, such as "mailpit").
    private static bool IsPrivateHost(string? host) =>
        host is { Length: > 0 }
        && (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (System.Net.IPAddress.TryParse(host, out var address) ? System.Net.IPAddress.IsLoopback(address) : !host.Contains('.', StringComparison.Ordinal)));
}
