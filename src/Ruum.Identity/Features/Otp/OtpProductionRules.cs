using Ruum.Identity.Infrastructure.Hosting;

namespace Ruum.Identity.Features.Otp;

/// <summary>The hashing key in the source code protects no code or device token: outside Development it must be a real secret.</summary>
internal sealed class OtpProductionRules(IHostEnvironment environment) : ProductionRules<OtpOptions>(environment)
{
    public const int MinimumKeyLength = 32;

    protected override IEnumerable<string> Check(OtpOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.HashingKey) || options.HashingKey == OtpOptions.DevelopmentHashingKey)
        {
            yield return $"{OtpOptions.Section}:HashingKey is missing (the development value is in use): "
                + $"set Ruum__Otp__HashingKey to a random secret of at least {MinimumKeyLength} characters.";
        }
        else if (options.HashingKey.Length < MinimumKeyLength)
        {
            yield return $"{OtpOptions.Section}:HashingKey is shorter than {MinimumKeyLength} characters.";
        }
    }
}
