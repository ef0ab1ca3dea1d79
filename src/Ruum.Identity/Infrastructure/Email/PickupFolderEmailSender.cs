namespace Ruum.Identity.Infrastructure.Email;

/// <summary>Development: each mail becomes an <c>.eml</c> file that a person opens or a test reads.</summary>
internal sealed class PickupFolderEmailSender(MimeMessages messages, string folder) : IEmailSender
{
    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var mime = messages.Create(message);
        // Version 7 GUIDs sort by time, so the newest mail is the last file name.
        var path = Path.Combine(folder, Guid.CreateVersion7().ToString("N") + ".eml");
        // Written aside, then moved in: whoever reads the folder never sees half a mail (some mail leaves after the response).
        await mime.WriteToAsync(path + ".tmp", cancellationToken);
        File.Move(path + ".tmp", path);
    }
}
