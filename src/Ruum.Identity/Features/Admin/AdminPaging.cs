using System.Globalization;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace Ruum.Identity.Features.Admin;

/// <summary>
/// Cursor paging (keyset): a page is "the next <c>limit</c> items after this key", so it stays correct and cheap while
/// items are added, unlike an offset. The cursor is opaque to callers (base64url of the last key).
/// </summary>
public sealed record AdminPage(int Limit, string? After)
{
    public static AdminResult<AdminPage> From(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var limit = AdminApi.DefaultPageSize;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (request.Query.TryGetValue("limit", out var limitText)
            && (limitText.Count != 1 || !int.TryParse(limitText[0], NumberStyles.None, CultureInfo.InvariantCulture, out limit)
                || limit is < 1 or > AdminApi.MaxPageSize))
        {
            errors["limit"] = [$"The page size must be a whole number from 1 to {AdminApi.MaxPageSize}."];
        }
        string? after = null;
        if (request.Query.TryGetValue("cursor", out var cursor))
        {
            after = cursor.Count == 1 ? Decode(cursor[0]) : null;
            if (after is null)
            {
                errors["cursor"] = ["The cursor is not one this API gave out: use nextCursor from the previous page."];
            }
        }
        return errors.Count > 0 ? AdminError.Fields(errors) : new AdminPage(limit, after);
    }

    public static string Encode(string key) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(key));

    private static string? Decode(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor) || cursor.Length > 512)
        {
            return null;
        }
        try
        {
            return Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(cursor));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

/// <summary>One page of a list; <c>nextCursor</c> is null on the last page.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

public static class Pages
{
    /// <summary>From <c>limit + 1</c> rows read: the extra row only says that another page exists.</summary>
    public static Page<T> Of<T>(IReadOnlyList<T> rows, int limit, Func<T, string> keyOf)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(keyOf);
        return rows.Count > limit ? new Page<T>(rows.Take(limit).ToList(), AdminPage.Encode(keyOf(rows[limit - 1]))) : new Page<T>(rows, null);
    }
}
