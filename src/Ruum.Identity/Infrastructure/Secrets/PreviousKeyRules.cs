namespace Ruum.Identity.Infrastructure.Secrets;

/// <summary>
/// Production rules shared by every secret that carries a key id (<see cref="VersionedKeys"/>). Adding a key: keep the
/// old secret under <c>Previous…:&lt;its id&gt;</c> (id <c>1</c> when none was set), put the new secret in the key's
/// setting and a new id in its <c>…Id</c> setting; remove the old one once the values it made have expired or been rehashed.
/// </summary>
internal static class PreviousKeyRules
{
    /// <param name="previousSetting">E.g. <c>Ruum:Otp:PreviousHashingKeys</c>.</param>
    /// <param name="idSetting">E.g. <c>Ruum:Otp:HashingKeyId</c>.</param>
    public static IEnumerable<string> Check(string previousSetting, string idSetting, string currentId,
        IReadOnlyDictionary<string, string> previous, Func<string, bool> isRealSecret, string whatIsReal)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(isRealSecret);
        foreach (var (id, value) in previous)
        {
            var setting = $"{previousSetting}:{id}";
            if (!VersionedKeys.IsValidId(id))
            {
                yield return $"{setting}: a key id is 1 to {VersionedKeys.MaxIdLength} letters, digits, '-' or '_'.";
            }
            else if (id == currentId)
            {
                yield return $"{setting} has the current key's id ({idSetting} is '{currentId}'): "
                    + $"when adding a key, give the new key a new id in {idSetting} and keep the old one under its old id.";
            }
            if (string.IsNullOrWhiteSpace(value) || !isRealSecret(value))
            {
                yield return $"{setting} must be {whatIsReal}.";
            }
        }
    }
}
