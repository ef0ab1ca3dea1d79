using Microsoft.Net.Http.Headers;

namespace Ruum.Identity.Features.Admin;

/// <summary>
/// Optimistic concurrency (RFC 9110 §13.1.1): resources carry an <c>ETag</c>; a change sent with <c>If-Match</c>
/// applies only to the version it names, so two admins cannot silently overwrite each other (412 otherwise).
/// </summary>
public static class AdminETags
{
    public static string Quote(string version) => "\"" + version + "\"";

    /// <summary>False when the request has an <c>If-Match</c> that does not name <paramref name="version"/>.</summary>
    public static bool Matches(HttpRequest request, string? version)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Headers.IfMatch;
        if (header.Count == 0)
        {
            return true;
        }
        if (version is null || !EntityTagHeaderValue.TryParseList(header, out var tags))
        {
            return false;
        }
        var current = new EntityTagHeaderValue(Quote(version));
        return tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(current, useStrongComparison: true));
    }

    public static void Set(HttpResponse response, string? version)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (version is not null)
        {
            response.Headers.ETag = Quote(version);
        }
    }
}
