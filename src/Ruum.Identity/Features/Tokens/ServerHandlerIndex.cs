using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Ruum.Identity.Features.Tokens;

/// <summary>
/// The server's handlers grouped by the event they handle, in OpenIddict's order, with the singleton handlers and
/// filters resolved once. OpenIddict's own dispatcher walks every registered handler (several hundred) for each of
/// the dozens of events a token request raises, and resolves each candidate's filters and handler from the
/// container every time; on a client-credentials request that was a fifth of the server's CPU.
/// </summary>
public sealed class ServerHandlerIndex(
    IOptionsMonitor<OpenIddictServerOptions> options,
    IServiceProvider root,
    ServerHandlerIndex.Singletons singletons)
{
    private Index _index = new([], new());

    /// <summary>Which service types the container holds as singletons (the last registration of a type wins).</summary>
    public sealed class Singletons(IServiceCollection services)
    {
        private readonly Lazy<HashSet<Type>> _types = new(() => services
            .GroupBy(service => service.ServiceType)
            .Where(group => !group.Last().IsKeyedService && group.Last().Lifetime == ServiceLifetime.Singleton)
            .Select(group => group.Key)
            .ToHashSet());

        public bool Contains(Type type) => _types.Value.Contains(type);
    }

    public IReadOnlyList<Step<TContext>> For<TContext>() where TContext : BaseContext
    {
        var handlers = options.CurrentValue.Handlers;
        var index = _index;
        if (!ReferenceEquals(index.Source, handlers))
        {
            // Options are built once per host; a new list means they were rebuilt, and the old steps are stale.
            _index = index = new Index(handlers, new());
        }
        if (!index.ByContext.TryGetValue(typeof(TContext), out var steps))
        {
            steps = index.ByContext.GetOrAdd(typeof(TContext), handlers
                .Where(descriptor => descriptor.ContextType == typeof(TContext))
                .Select(StepFor<TContext>)
                .ToArray());
        }
        return (Step<TContext>[])steps;
    }

    internal static T Resolve<T>(IServiceProvider provider, Type type) where T : class =>
        provider.GetService(type) as T ?? throw new InvalidOperationException($"{type} is not registered as a {typeof(T).Name}.");

    private Step<TContext> StepFor<TContext>(OpenIddictServerHandlerDescriptor descriptor) where TContext : BaseContext
    {
        var service = descriptor.ServiceDescriptor;
        var handler = service.ImplementationInstance as IOpenIddictServerHandler<TContext>
            ?? (singletons.Contains(service.ServiceType) ? Resolve<IOpenIddictServerHandler<TContext>>(root, service.ServiceType) : null);
        var filters = descriptor.FilterTypes
            .Select(type => singletons.Contains(type) ? Resolve<IOpenIddictServerHandlerFilter<TContext>>(root, type) : null)
            .ToArray();
        return new Step<TContext>(handler, service.ServiceType, filters, [.. descriptor.FilterTypes]);
    }

    private sealed record Index(List<OpenIddictServerHandlerDescriptor> Source, ConcurrentDictionary<Type, object> ByContext);
}

/// <summary>One handler of an event: resolved already when it is a singleton, else by its type from the request's scope.</summary>
public sealed record Step<TContext>(
    IOpenIddictServerHandler<TContext>? Handler,
    Type HandlerType,
    IOpenIddictServerHandlerFilter<TContext>?[] Filters,
    Type[] FilterTypes) where TContext : BaseContext
{
    public async ValueTask<bool> IsActiveAsync(TContext context, IServiceProvider scope)
    {
        for (var i = 0; i < Filters.Length; i++)
        {
            var filter = Filters[i] ?? ServerHandlerIndex.Resolve<IOpenIddictServerHandlerFilter<TContext>>(scope, FilterTypes[i]);
            if (!await filter.IsActiveAsync(context))
            {
                return false;
            }
        }
        return true;
    }
}
