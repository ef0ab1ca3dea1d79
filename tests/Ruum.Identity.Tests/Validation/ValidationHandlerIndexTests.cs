using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenIddict.Validation;
using Ruum.Identity.Validation;
using static OpenIddict.Validation.OpenIddictValidationEvents;

namespace Ruum.Identity.Tests.Validation;

/// <summary>The package's indexed dispatcher runs exactly OpenIddict's validation handlers; every API test runs through it.</summary>
public sealed class ValidationHandlerIndexTests : IDisposable
{
    private readonly ServiceProvider _services;

    public ValidationHandlerIndexTests()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddRuumIdentityValidation(o =>
        {
            o.Authority = new Uri("https://id.ruum.test/");
            o.Audience = "ruum-api";
        });
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    public void Dispose() => _services.Dispose();

    private ValidationHandlerIndex Index => _services.GetRequiredService<ValidationHandlerIndex>();

    private List<OpenIddictValidationHandlerDescriptor> Registered<TContext>() =>
        _services.GetRequiredService<IOptionsMonitor<OpenIddictValidationOptions>>().CurrentValue.Handlers
            .Where(descriptor => descriptor.ContextType == typeof(TContext)).ToList();

    [Fact]
    public void Dispatcher_OfARequest_IsTheIndexedOne()
    {
        using var scope = _services.CreateScope();

        Assert.IsType<IndexedValidationDispatcher>(scope.ServiceProvider.GetRequiredService<IOpenIddictValidationDispatcher>());
    }

    [Fact]
    public void For_AnEvent_ListsItsHandlersInOpenIddictsOrder()
    {
        AssertSameHandlers<ProcessAuthenticationContext>();
        AssertSameHandlers<ValidateTokenContext>();
        AssertSameHandlers<ProcessChallengeContext>();
    }

    [Fact]
    public void For_ASingletonHandler_ResolvesItOnce()
    {
        var steps = Index.For<ValidateTokenContext>();

        Assert.Same(_services.GetRequiredService<ValidatedTokenCache.Reuse>(),
            steps.Single(step => step.Handler.Type == typeof(ValidatedTokenCache.Reuse)).Handler.Instance);
    }

    [Theory]
    [InlineData(new[] { true, true }, true)]
    [InlineData(new[] { true, false }, false)]
    [InlineData(new[] { false, true }, false)]
    public async Task IsActive_FiltersThatAnswerLater_AreAwaitedInOrder(bool[] answers, bool expected)
    {
        var filters = answers.Select(answer => new Resolvable<IOpenIddictValidationHandlerFilter<ProcessAuthenticationContext>>(
            new LaterFilter(answer), typeof(LaterFilter))).ToArray();
        var step = new ValidationStep<ProcessAuthenticationContext>(new(null, typeof(object)), filters);

        var active = await step.IsActiveAsync(new ProcessAuthenticationContext(new OpenIddictValidationTransaction()), _services);

        Assert.Equal(expected, active);
    }

    private sealed class LaterFilter(bool answer) : IOpenIddictValidationHandlerFilter<ProcessAuthenticationContext>
    {
        public async ValueTask<bool> IsActiveAsync(ProcessAuthenticationContext context)
        {
            await Task.Yield();
            return answer;
        }
    }

    private void AssertSameHandlers<TContext>() where TContext : BaseContext
    {
        var expected = Registered<TContext>().Select(d => d.ServiceDescriptor.ServiceType).ToList();

        Assert.NotEmpty(expected);
        Assert.Equal(expected, Index.For<TContext>().Select(step => step.Handler.Type));
    }
}
