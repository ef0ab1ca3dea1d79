using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ruum.Identity.Features.Audit;

/// <summary>
/// Serialises an event's details to JSON that always fits <see cref="AuditEvent.MaxDetailsLength"/> and always
/// parses: a too-long object has its long strings shortened, and if that is not enough it is replaced by a marker.
/// Cutting the serialised text would store invalid JSON, which exports and queries cannot read.
/// </summary>
internal static class AuditDetails
{
    private const int ShortenedStringLength = 100;

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static string? Serialize(object? details)
    {
        if (details is null)
        {
            return null;
        }
        var json = JsonSerializer.Serialize(details, JsonOptions);
        if (json.Length <= AuditEvent.MaxDetailsLength)
        {
            return json;
        }
        var node = JsonSerializer.SerializeToNode(details, JsonOptions);
        var shortened = node is null ? null : Shorten(node).ToJsonString(JsonOptions);
        return shortened is { Length: <= AuditEvent.MaxDetailsLength } ? shortened
            : new JsonObject { ["truncated"] = true, ["length"] = json.Length }.ToJsonString();
    }

    /// <summary>The node with every long string value shortened (a new value replaces the old one in its parent).</summary>
    private static JsonNode Shorten(JsonNode node)
    {
        if (node is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > ShortenedStringLength)
        {
            // Never split a surrogate pair: half a character is not valid text.
            var end = char.IsHighSurrogate(text[ShortenedStringLength - 1]) ? ShortenedStringLength - 1 : ShortenedStringLength;
            return JsonValue.Create(text[..end] + "…");
        }
        var children = node switch
        {
            JsonObject obj => obj.Select(pair => pair.Value).ToList(),
            JsonArray array => array.ToList(),
            _ => [],
        };
        foreach (var child in children)
        {
            if (child is not null && Shorten(child) is var shortened && !ReferenceEquals(shortened, child))
            {
                child.ReplaceWith(shortened);
            }
        }
        return node;
    }
}
