namespace Ruum.Identity.Infrastructure.Secrets;

/// <summary>
/// A server secret that can be replaced without breaking what it made. The current key makes every new value, which is
/// stored with the key's id in front (<c>id:value</c>); earlier keys, each under its own id, still check the values
/// they made until those expire or are rehashed on use. A value stored before key ids existed carries none and
/// belongs to key <see cref="LegacyId"/>, the default id of every current key. A value whose key is no longer
/// configured checks nothing: it fails like a wrong one.
/// </summary>
internal sealed class VersionedKeys
{
    public const string LegacyId = "1";
    public const int MaxIdLength = 16;
    public const string IdPattern = "^[A-Za-z0-9_-]{1,16}$";

    private readonly Dictionary<string, byte[]> _keys = new(StringComparer.Ordinal);

    /// <param name="setting">The current key's setting, for the start-up message about a badly named earlier key.</param>
    public VersionedKeys(string setting, string currentId, byte[] current, IEnumerable<KeyValuePair<string, byte[]>> previous)
    {
        ArgumentNullException.ThrowIfNull(previous);
        CurrentId = currentId;
        Current = current;
        _keys[currentId] = current;
        foreach (var (id, key) in previous)
        {
            if (!IsValidId(id) || !_keys.TryAdd(id, key))
            {
                throw new InvalidOperationException(
                    $"An earlier key of {setting} is named '{id}': give each key its own id of 1 to {MaxIdLength} letters, digits, '-' or '_'.");
            }
        }
    }

    public string CurrentId { get; }

    public byte[] Current { get; }

    /// <summary>Every key, the current one first.</summary>
    public IEnumerable<(string Id, byte[] Key)> All =>
        _keys.OrderBy(pair => pair.Key == CurrentId ? 0 : 1).Select(pair => (pair.Key, pair.Value));

    /// <summary>A value the current key made, in its stored form.</summary>
    public string Stamp(string value) => CurrentId + ":" + value;

    /// <summary>The key <paramref name="stored"/> was made with (null: no longer configured), and the value without its id.</summary>
    public (byte[]? Key, string Value, bool Stamped) Open(string stored)
    {
        var (id, value, stamped) = Split(stored);
        return (_keys.GetValueOrDefault(id), value, stamped);
    }

    /// <summary>Made with the current key and stored with its id: nothing to rehash.</summary>
    public bool IsCurrent(string? stored) => stored is not null && Split(stored) is { Stamped: true } split && split.Id == CurrentId;

    /// <summary>
    /// <c>id:value</c>, or a value from before key ids (hex, base64, bcrypt's <c>$2a$</c>, <c>$ruum-hmac-sha256$</c>:
    /// none has a colon after id characters only), which belongs to <see cref="LegacyId"/>.
    /// </summary>
    public static (string Id, string Value, bool Stamped) Split(string stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var colon = stored.IndexOf(':', StringComparison.Ordinal);
        return colon is > 0 and <= MaxIdLength && IsValidId(stored[..colon])
            ? (stored[..colon], stored[(colon + 1)..], true)
            : (LegacyId, stored, false);
    }

    public static bool IsValidId(string? id) =>
        id is { Length: > 0 and <= MaxIdLength } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
