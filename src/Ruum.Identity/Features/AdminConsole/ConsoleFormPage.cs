using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Ruum.Identity.Features.Admin;

namespace Ruum.Identity.Features.AdminConsole;

/// <summary>
/// A console page whose form shows a service's field errors next to their fields, keyed by the API's field names
/// (<c>email</c>, <c>resources[2]</c> under <c>resources</c>), so each input can name its message in
/// <c>aria-describedby</c> (WCAG 2.2, 3.3.1). Other refusals are answered as <see cref="ConsolePage.Refused"/> does.
/// </summary>
public abstract partial class ConsoleFormPage : ConsolePage
{
    /// <summary>True when the version the form was shown with is no longer current: nothing was written.</summary>
    public bool Stale { get; protected set; }

    /// <summary>The first message for <paramref name="field"/> (an API field name), or null.</summary>
    public string? ErrorOf(string field) =>
        ModelState.TryGetValue(field, out var entry) && entry.Errors.Count > 0 ? entry.Errors[0].ErrorMessage : null;

    /// <summary>"true" when <paramref name="field"/> has a message: the input's <c>aria-invalid</c>.</summary>
    public string InvalidOf(string field) => ErrorOf(field) is null ? "false" : "true";

    public bool HasFieldErrors => ModelState.ErrorCount > 0;

    /// <summary>What <c>_FieldError</c> shows under an input: the element id its <c>aria-describedby</c> names, and the message.</summary>
    public FieldMessage Field(string field, string id) => new(id, ErrorOf(field));

    /// <summary>
    /// Shows <paramref name="message"/> (an English sentence, a service's or the page's) next to <paramref name="field"/>
    /// in the page's language (Features/Shared/FormMessages.es.resx), answered with <paramref name="status"/>.
    /// </summary>
    protected void FieldError(string field, string message, int status = StatusCodes.Status400BadRequest)
    {
        ModelState.AddModelError(field, Text[message]);
        Response.StatusCode = status;
    }

    /// <summary>Field errors next to their fields, a stale version as <see cref="Stale"/>; 404 and 403 as their pages.</summary>
    protected IActionResult? RefusedByField(AdminError? error)
    {
        switch (error)
        {
            case { Status: StatusCodes.Status400BadRequest, Errors: { } fields }:
                foreach (var (field, messages) in fields)
                {
                    foreach (var message in messages)
                    {
                        FieldError(ItemIndex().Replace(field, ""), message);
                    }
                }
                return null;
            case { Status: StatusCodes.Status412PreconditionFailed }:
                Stale = true;
                Response.StatusCode = error.Status;
                return null;
            default:
                return Refused(error);
        }
    }

    [GeneratedRegex(@"\[\d+\]$", RegexOptions.CultureInvariant)]
    private static partial Regex ItemIndex();
}

/// <summary>The message under one input, in an element with <paramref name="Id"/>.</summary>
public sealed record FieldMessage(string Id, string? Message);
