using System.Text;
using Microsoft.Net.Http.Headers;

namespace Ruum.Identity.Infrastructure.Hosting;

/// <summary>
/// Whether ASP.NET Core can decode a form body in the charset its <c>Content-Type</c> names. It throws on UTF-7
/// (disabled in .NET) and silently reads a charset it does not know as UTF-8; RFC 6749 Appendix B forms are UTF-8.
/// </summary>
internal static class FormCharset
{
    public static bool IsReadable(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var type) || HeaderUtilities.RemoveQuotes(type.Charset) is not { Length: > 0 } charset)
        {
            return true;
        }
        try
        {
            return Encoding.GetEncoding(charset.Value!).CodePage != 65000; // UTF-7: decodes "+ADw-" as "<"
        }
        catch (Exception exception) when (exception is ArgumentException or NotSupportedException)
        {
            return false;
        }
    }
}
