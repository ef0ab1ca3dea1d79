using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Ruum.Identity.Features.Admin;

/// <summary>
/// Request bodies read strictly: camelCase names, no unknown fields (a typo must not silently change nothing), and
/// any fault answered as 400 problem+json naming the field. Too large a body is refused by Kestrel's limit (413,
/// see <c>UnreadableRequestHandler</c>) before it is read.
/// </summary>
public static partial class AdminJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNameCaseInsensitive = false,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowTrailingCommas = false,
        ReadCommentHandling = JsonCommentHandling.Disallow,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    public static async Task<AdminResult<T>> ReadAsync<T>(HttpRequest request) where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.HasJsonContentType())
        {
            return new AdminError(StatusCodes.Status415UnsupportedMediaType, "Send the body as application/json.");
        }
        try
        {
            var body = await JsonSerializer.DeserializeAsync<T>(request.Body, Options, request.HttpContext.RequestAborted);
            return body is null ? AdminError.Field("$", "The body must be a JSON object.") : body;
        }
        catch (JsonException exception)
        {
            var path = string.IsNullOrEmpty(exception.Path) ? "$" : exception.Path;
            // The serializer's own message names .NET types; say it in the API's terms.
            if (exception.Message.Contains("could not be mapped", StringComparison.Ordinal) && QuotedName().Match(exception.Message) is { Success: true } name)
            {
                return AdminError.Field(name.Groups[1].Value, $"Unknown field '{name.Groups[1].Value}'.");
            }
            return exception.Message.Contains("missing required properties", StringComparison.Ordinal)
                ? AdminError.Field(path, "Required fields are missing: " + string.Join(", ", QuotedName().Matches(exception.Message).Skip(1).Select(m => m.Groups[1].Value)) + ".")
                : AdminError.Field(path, "Malformed JSON, or a value of the wrong type here.");
        }
    }

    [GeneratedRegex("'([^']+)'")]
    private static partial Regex QuotedName();
}
