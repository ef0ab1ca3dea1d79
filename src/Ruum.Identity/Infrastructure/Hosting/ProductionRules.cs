using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Ruum.Identity.Infrastructure.Hosting;

/// <summary>
/// What one options class must satisfy outside Development: no missing secret, no development value. Each
/// failure names the setting and how to set it; <c>ValidateOnStart</c> makes the host refuse to start.
/// </summary>
internal abstract class ProductionRules<TOptions>(IHostEnvironment environment) : IValidateOptions<TOptions>
    where TOptions : class
{
    protected IHostEnvironment Environment { get; } = environment;

    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        if (Environment.IsDevelopment())
        {
            return ValidateOptionsResult.Skip;
        }
        var failures = Check(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    protected abstract IEnumerable<string> Check(TOptions options);
}

internal static class ProductionRulesRegistration
{
    public static IServiceCollection AddProductionRules<TOptions, TRules>(this IServiceCollection services)
        where TOptions : class
        where TRules : class, IValidateOptions<TOptions>
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TRules>());
        services.AddOptions<TOptions>().ValidateOnStart();
        return services;
    }
}
