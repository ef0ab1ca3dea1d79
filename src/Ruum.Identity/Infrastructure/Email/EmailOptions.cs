using System.ComponentModel.DataAnnotations;

namespace Ruum.Identity.Infrastructure.Email;

public enum EmailDelivery
{
    /// <summary>Written as <c>.eml</c> files to <see cref="EmailOptions.PickupFolder"/>: Development and tests.</summary>
    PickupFolder,

    Smtp,
}

public enum SmtpTls
{
    /// <summary>Upgrade the connection with STARTTLS (submission, port 587).</summary>
    StartTls,

    /// <summary>TLS from the first byte (port 465).</summary>
    Implicit,

    /// <summary>Plain text: only for a local mail catcher (docker-compose); refused in Production.</summary>
    None,
}

/// <summary><c>Ruum:Email</c>: how mail leaves the server.</summary>
public sealed class EmailOptions
{
    public const string Section = "Ruum:Email";

    /// <summary>Unset: the pickup folder in Development, SMTP everywhere else.</summary>
    public EmailDelivery? Delivery { get; set; }

    /// <summary>Relative paths are under the content root.</summary>
    [Required]
    public string PickupFolder { get; set; } = ".data/mail";

    [Required, EmailAddress]
    public string FromAddress { get; set; } = "no-reply@ruum.test";

    [Required, MaxLength(100)]
    public string FromName { get; set; } = "Ruum";

    public string? SmtpHost { get; set; }

    [Range(1, 65535)]
    public int SmtpPort { get; set; } = 587;

    public SmtpTls SmtpTls { get; set; } = SmtpTls.StartTls;

    public string? SmtpUserName { get; set; }

    public string? SmtpPassword { get; set; }
}
