using Microsoft.Extensions.Localization;
using Ruum.Identity.Features.Users;

namespace Ruum.Identity.Features.Shared;

internal static class FormMessagesExtensions
{
    /// <summary>A <see cref="NewPasswordRules"/> problem in the page's language (the too-short one carries the minimum).</summary>
    public static string NewPasswordProblem(this IStringLocalizer<FormMessages> text, string problem, int minimumLength) =>
        problem == NewPasswordRules.TooShort(minimumLength)
            ? text["The new password must be at least {0} characters.", minimumLength]
            : text[problem];
}
