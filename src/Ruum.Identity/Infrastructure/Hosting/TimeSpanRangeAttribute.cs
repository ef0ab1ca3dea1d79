using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Ruum.Identity.Infrastructure.Hosting;

/// <summary>
/// <c>[Range(typeof(TimeSpan), …)]</c> without its race: <see cref="RangeAttribute"/> converts its bounds lazily and
/// in place, so two servers validating options at once can throw InvalidCastException (dotnet/runtime#1143).
/// The bounds here are parsed once, in the constructor.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class TimeSpanRangeAttribute(string minimum, string maximum) : ValidationAttribute
{
    public TimeSpan Minimum { get; } = TimeSpan.Parse(minimum, CultureInfo.InvariantCulture);
    public TimeSpan Maximum { get; } = TimeSpan.Parse(maximum, CultureInfo.InvariantCulture);

    public override bool IsValid(object? value) => value is not TimeSpan span || (span >= Minimum && span <= Maximum);

    public override string FormatErrorMessage(string name) =>
        ErrorMessage is { } message ? string.Format(CultureInfo.InvariantCulture, message, name)
        : $"The field {name} must be between {Minimum} and {Maximum}.";
}
