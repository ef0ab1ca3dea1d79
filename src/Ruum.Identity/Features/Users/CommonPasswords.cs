using System.Collections.Frozen;
using System.Text;

namespace Ruum.Identity.Features.Users;

/// <summary>
/// The common-password list of zxcvbn (the 30,000 most frequent leaked passwords, as shipped in the zxcvbn-core
/// NuGet package 1.1.17, MIT), kept to the 11,611 entries of at least 8 characters: shorter ones fail the minimum
/// length anyway. Loaded once into a hash set (NIST SP 800-63B §3.1.1.2, ASVS V6.2.4).
/// </summary>
public sealed class CommonPasswords
{
    private const string Resource = "Ruum.Identity.Features.Users.CommonPasswords.txt";

    private readonly Lazy<FrozenSet<string>> _set = new(Load);

    public int Count => _set.Value.Count;

    /// <param name="folded">The candidate already NFKC-normalised and case-folded (<see cref="Fold"/>).</param>
    public bool Contains(string folded) => _set.Value.Contains(folded);

    /// <summary>NFKC, then lower case: "Ｐａｓｓｗｏｒｄ1234" and "PASSWORD1234" are both "password1234".</summary>
    public static string Fold(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
    }

    private static FrozenSet<string> Load()
    {
        using var stream = typeof(CommonPasswords).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"The embedded resource {Resource} is missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var entries = new List<string>(12_000);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                entries.Add(Fold(line));
            }
        }
        return entries.ToFrozenSet(StringComparer.Ordinal);
    }
}
