using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Ruum.Identity.Tests.Language;

/// <summary>
/// Every page sentence has its Spanish: a sentence added in English only fails here, not in front of a customer. Read
/// from the sources (src/Ruum.Identity/Features): a view's <c>L["…"]</c> keys need its .es.resx next to it; a page
/// model's sentences (string literals that read like one) need an entry in the view's .es.resx or in
/// Features/Shared/FormMessages.es.resx; a view's markup holds no sentence outside the localizer (an element marked
/// <c>translate="no"</c> or <c>lang="…"</c> is left alone: brand names, language names, technical values).
/// Razor is read with patterns, not compiled: a key built at run time from something other than its page model's
/// literals (e.g. an audit event's type) is not seen here.
/// </summary>
public sealed partial class PageTextCoverageTests
{
    private static readonly DirectoryInfo Features = FindFeatures();

    [Fact]
    public void EveryViewKey_HasASpanishEntry()
    {
        var missing = new List<string>();
        foreach (var view in Views())
        {
            var spanish = SpanishOf(SiblingResx(view));
            missing.AddRange(LiteralKeys(File.ReadAllText(view)).Where(key => !spanish.Contains(key)).Select(key => $"{Relative(view)}: {key}"));
        }
        Assert.True(missing.Count == 0, "No Spanish entry for:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void EveryPageModelSentence_HasASpanishEntry()
    {
        var shared = SpanishOf(Path.Combine(Features.FullName, "Shared", "FormMessages.es.resx"));
        var missing = new List<string>();
        foreach (var model in Features.EnumerateFiles("*.cshtml.cs", SearchOption.AllDirectories))
        {
            var view = model.FullName[..^".cs".Length];
            var spanish = SpanishOf(SiblingResx(view));
            missing.AddRange(Sentences(File.ReadAllText(model.FullName))
                .Where(sentence => !shared.Contains(sentence) && !spanish.Contains(sentence))
                .Select(sentence => $"{Relative(model.FullName)}: {sentence}"));
        }
        Assert.True(missing.Count == 0, "No Spanish entry (view .es.resx or FormMessages.es.resx) for:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void EveryView_HasNoSentenceOutsideTheLocalizer()
    {
        var found = new List<string>();
        foreach (var view in Views())
        {
            var text = RazorComment().Replace(File.ReadAllText(view), "");
            foreach (Match element in ElementText().Matches(text))
            {
                var content = element.Groups["text"].Value;
                if (element.Groups["tag"].Value is "script" or "style" or "code"
                    || element.Groups["attributes"].Value.Contains("translate=\"no\"", StringComparison.Ordinal)
                    || element.Groups["attributes"].Value.Contains(" lang=", StringComparison.Ordinal)
                    || content.IndexOfAny(['@', '{', '}', ';', '=', '"']) >= 0)
                {
                    continue;
                }
                if (Word().IsMatch(HtmlEntity().Replace(content, "")))
                {
                    found.Add($"{Relative(view)}: {content.Trim()}");
                }
            }
            found.AddRange(TextAttribute().Matches(text).Select(m => $"{Relative(view)}: {m.Value}"));
        }
        Assert.True(found.Count == 0, "Text outside @L[…]:\n" + string.Join("\n", found));
    }

    /// <summary>The first literal of each <c>L["…"]</c> (the key; later arguments are the values).</summary>
    internal static IEnumerable<string> LiteralKeys(string razor) =>
        ViewKey().Matches(razor).Select(m => Unescape(m.Groups[1].Value)).Distinct(StringComparer.Ordinal);

    /// <summary>
    /// String literals that read like a sentence or a label ("Rotate the secret of", "Saved.", a switch arm's
    /// "Disable"): a capital, then a lower-case letter, with a space or a full stop unless a switch arm. Comments, log
    /// messages and exception messages are not for people using the pages; single words (handler names) are code.
    /// </summary>
    internal static IEnumerable<string> Sentences(string code)
    {
        code = LineComment().Replace(code, "");
        code = LoggerMessage().Replace(code, "");
        code = Concatenation().Replace(code, "");
        return CsLiteral().Matches(code)
            .Where(m => Capitalised().IsMatch(m.Groups["text"].Value) && (m.Groups["arm"].Success || SpaceOrStop().IsMatch(m.Groups["text"].Value)))
            .Select(m => Unescape(m.Groups["text"].Value))
            .Distinct(StringComparer.Ordinal);
    }

    private static HashSet<string> SpanishOf(string resx) =>
        File.Exists(resx)
            ? XDocument.Load(resx).Root!.Elements("data").Select(d => (string)d.Attribute("name")!).ToHashSet(StringComparer.Ordinal)
            : [];

    private static string SiblingResx(string view) => Path.ChangeExtension(view, null) + ".es.resx";

    private static IEnumerable<string> Views() =>
        Features.EnumerateFiles("*.cshtml", SearchOption.AllDirectories).Select(f => f.FullName).Order(StringComparer.Ordinal);

    private static string Unescape(string literal) => literal.Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);

    private static string Relative(string path) => Path.GetRelativePath(Features.FullName, path);

    private static DirectoryInfo FindFeatures()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var features = new DirectoryInfo(Path.Combine(directory.FullName, "src", "Ruum.Identity", "Features"));
            if (features.Exists)
            {
                return features;
            }
        }
        throw new InvalidOperationException("src/Ruum.Identity/Features is not above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("""\bL\[\s*"((?:[^"\\]|\\.)*)"\s*[\],]""")]
    private static partial Regex ViewKey();

    [GeneratedRegex(@"(?<!Exception\()(?<arm>=>\s*)?(?<![@$\w])""(?<text>(?:[^""\\\r\n]|\\.)*)""")]
    private static partial Regex CsLiteral();

    [GeneratedRegex("""^[A-Z][a-z]""")]
    private static partial Regex Capitalised();

    [GeneratedRegex("""[ .]""")]
    private static partial Regex SpaceOrStop();

    [GeneratedRegex("""^\s*//.*$""", RegexOptions.Multiline)]
    private static partial Regex LineComment();

    [GeneratedRegex("""\[LoggerMessage\([^\]]*\)\]""")]
    private static partial Regex LoggerMessage();

    [GeneratedRegex(@"""\s*\+\s*""")]
    private static partial Regex Concatenation();

    [GeneratedRegex("""@\*.*?\*@""", RegexOptions.Singleline)]
    private static partial Regex RazorComment();

    [GeneratedRegex("""<(?<tag>\w+)(?<attributes>[^<>]*)>(?<text>[^<>]*)<""")]
    private static partial Regex ElementText();

    [GeneratedRegex("""[A-Za-z]{2,}""")]
    private static partial Regex Word();

    [GeneratedRegex("""&#?\w+;""")]
    private static partial Regex HtmlEntity();

    /// <summary>A label in an attribute: a capitalised word or two words ("sign_in.succeeded" as an example value is not one).</summary>
    [GeneratedRegex(@"\b(?:aria-label|title|placeholder|alt)=""(?=[^""@]*(?:\b[A-Z][a-z]|[a-z] [a-z]))[^""@]*""")]
    private static partial Regex TextAttribute();
}
