using Ruum.Identity.Infrastructure.Hosting;

namespace Ruum.Identity.Features.Users;

/// <summary>The pepper in the source code protects nothing: outside Development it must be a real secret.</summary>
internal sealed class PasswordProductionRules(IHostEnvironment environment) : ProductionRules<PasswordOptions>(environment)
{
    public const int MinimumPepperLength = 32;

    protected override IEnumerable<string> Check(PasswordOptions options)
    {
        if (options.Pepper == PasswordOptions.DevelopmentPepper)
        {
            yield return $"{PasswordOptions.Section}:Pepper is missing (the development value is in use): "
                + $"set Ruum__Passwords__Pepper to a random secret of at least {MinimumPepperLength} characters.";
        }
        else if (options.Pepper.Length < MinimumPepperLength)
        {
            yield return $"{PasswordOptions.Section}:Pepper is shorter than {MinimumPepperLength} characters.";
        }
        foreach (var failure in Infrastructure.Secrets.PreviousKeyRules.Check($"{PasswordOptions.Section}:PreviousPeppers",
            $"{PasswordOptions.Section}:PepperId", options.PepperId, options.PreviousPeppers,
            pepper => pepper != PasswordOptions.DevelopmentPepper && pepper.Length >= MinimumPepperLength,
            $"a real secret of at least {MinimumPepperLength} characters"))
        {
            yield return failure;
        }
    }
}
