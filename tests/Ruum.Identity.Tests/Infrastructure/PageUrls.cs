using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Ruum.Identity.Tests.Infrastructure;

public static class PageUrls
{
    /// <summary>
    /// Waits until the page's URL path ends with <paramref name="path"/>, by polling the URL. Not
    /// <c>WaitForURLAsync</c>: when the navigation has already ended, it waits for the page's load event instead,
    /// which in CI sometimes never came although the page had rendered (three failures at 'signed-out' so far).
    /// </summary>
    public static Task ExpectPathAsync(this IPage page, string path) =>
        Assertions.Expect(page).ToHaveURLAsync(new Regex("^[^?#]*" + Regex.Escape(path) + "([?#]|$)"));
}
