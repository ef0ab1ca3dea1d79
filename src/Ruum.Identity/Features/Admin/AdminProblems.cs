using Microsoft.AspNetCore.Http.HttpResults;

namespace Ruum.Identity.Features.Admin;

/// <summary>RFC 9457 problem+json answers of the admin API, with field-level messages where input was at fault.</summary>
public static class AdminProblems
{
    public static ValidationProblem Invalid(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "The request is invalid.", detail: "See errors for what to correct, field by field.");

    public static ValidationProblem Invalid(string field, string message) =>
        Invalid(new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [message] });

    /// <summary>Missing, or not the caller's to see: the same answer, so nothing leaks across companies.</summary>
    public static ProblemHttpResult NotFound(string what) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found.", detail: $"No {what} with this id.");

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict.", detail: detail);

    public static ProblemHttpResult Stale() =>
        TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "The resource has changed.",
            detail: "If-Match does not name the current ETag: read the resource again and repeat the change on what it is now.");

    public static ProblemHttpResult Forbidden(string reason, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden.", detail: detail,
            extensions: new Dictionary<string, object?>(StringComparer.Ordinal) { ["reason"] = reason });
}

/// <summary>Why a service refused a change: the endpoint turns it into its problem+json.</summary>
public sealed record AdminError(int Status, string Detail, IDictionary<string, string[]>? Errors = null)
{
    public static AdminError Field(string field, string message) =>
        new(StatusCodes.Status400BadRequest, message, new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [message] });

    public static AdminError Fields(IDictionary<string, string[]> errors) => new(StatusCodes.Status400BadRequest, "Invalid input.", errors);

    public static AdminError NotFound(string what) => new(StatusCodes.Status404NotFound, what);

    public static AdminError Conflict(string detail) => new(StatusCodes.Status409Conflict, detail);

    public static AdminError Stale { get; } = new(StatusCodes.Status412PreconditionFailed, "stale");

    public IResult ToResult() => Status switch
    {
        StatusCodes.Status400BadRequest when Errors is not null => AdminProblems.Invalid(Errors),
        StatusCodes.Status404NotFound => AdminProblems.NotFound(Detail),
        StatusCodes.Status409Conflict => AdminProblems.Conflict(Detail),
        StatusCodes.Status412PreconditionFailed => AdminProblems.Stale(),
        _ => TypedResults.Problem(statusCode: Status, detail: Detail),
    };
}

/// <summary>A service's answer: a value, or why not.</summary>
public readonly record struct AdminResult<T>(T? Value, AdminError? Error)
{
    public static implicit operator AdminResult<T>(T value) => new(value, null);

    public static implicit operator AdminResult<T>(AdminError error) => new(default, error);
}
