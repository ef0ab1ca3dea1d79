using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenIddict.Server;
using Ruum.Identity.Features.Tokens;
using Ruum.Identity.Tests.Infrastructure;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Ruum.Identity.Tests.Tokens;

/// <summary>The indexed dispatcher runs exactly OpenIddict's handlers; every protocol test runs through it.</summary>
public sealed class ServerHandlerIndexTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private readonly RuumServer _server = fixture.Server;

    private ServerHandlerIndex Index => _server.Services.GetRequiredService<ServerHandlerIndex>();

    private List<OpenIddictServerHandlerDescriptor> Registered<TContext>() =>
        _server.Services.GetRequiredService<IOptionsMonitor<OpenIddictServerOptions>>().CurrentValue.Handlers
            .Where(descriptor => descriptor.ContextType == typeof(TContext)).ToList();

    [Fact]
    public void Dispatcher_OfARequest_IsTheIndexedOne()
    {
        using var scope = _server.Services.CreateScope();

        Assert.IsType<IndexedServerDispatcher>(scope.ServiceProvider.GetRequiredService<IOpenIddictServerDispatcher>());
    }

    [Fact]
    public void For_AnEvent_ListsItsHandlersInOpenIddictsOrder()
    {
        AssertSameHandlers<ProcessSignInContext>();
        AssertSameHandlers<GenerateTokenContext>();
        AssertSameHandlers<ValidateTokenContext>();
        AssertSameHandlers<HandleIntrospectionRequestContext>();
    }

    [Fact]
    public void For_AScopedHandler_ResolvesItPerRequest_AndASingletonOnce()
    {
        var steps = Index.For<GenerateTokenContext>();
        var scoped = Registered<GenerateTokenContext>().First(d => d.ServiceDescriptor.Lifetime == ServiceLifetime.Scoped);

        Assert.Null(steps.Single(step => step.Handler.Type == scoped.ServiceDescriptor.ServiceType).Handler.Instance);
        Assert.Same(_server.Services.GetRequiredService<SkipAccessTokenStorage>(),
            steps.Single(step => step.Handler.Type == typeof(SkipAccessTokenStorage)).Handler.Instance);
    }

    [Theory]
    [InlineData(new[] { true, true }, true)]
    [InlineData(new[] { true, false }, false)]
    [InlineData(new[] { false, true }, false)]
    public async Task IsActive_FiltersThatAnswerLater_AreAwaitedInOrder(bool[] answers, bool expected)
    {
        var filters = answers.Select(answer => new Resolvable<IOpenIddictServerHandlerFilter<ProcessRequestContext>>(
            new LaterFilter(answer), typeof(LaterFilter))).ToArray();
        var step = new Step<ProcessRequestContext>(new(null, typeof(object)), filters);

        var active = await step.IsActiveAsync(new ProcessRequestContext(new OpenIddictServerTransaction()), _server.Services);

        Assert.Equal(expected, active);
    }

    private sealed class LaterFilter(bool answer) : IOpenIddictServerHandlerFilter<ProcessRequestContext>
    {
        public async ValueTask<bool> IsActiveAsync(ProcessRequestContext context)
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
