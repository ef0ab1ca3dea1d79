using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenIddict.Validation;
using static OpenIddict.Validation.OpenIddictValidationEvents;

namespace Ruum.Identity.Validation;

/// <summary>The validation handlers grouped by the event they handle, in OpenIddict's order, singletons resolved once.</summary>
internal sealed class ValidationHandlerIndex(
    IOptionsMonitor<OpenIddictValidationOptions> options,
    IServiceProvider root,
    ValidationHandlerIndex.Singletons singletons)
{
    private Index _index = new([], new());

    /// <summary>Which service types the container holds as singletons (the last registration of a type wins).</summary>
    internal sealed class Singletons(IServiceCollection services)
    {
        private readonly Lazy<HashSet<Type>> _types = new(() => services
            .GroupBy(service => service.ServiceType)
            .Where(group => !group.Last().IsKeyedService && group.Last().Lifetime == ServiceLifetime.Singleton)
            .Select(group => group.Key)
            .ToHashSet());

        public bool Contains(Type type) => _types.Value.Contains(type);
    }

    public ValidationStep<TContext>[] For<TContext>() where TContext : BaseContext
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
        return (ValidationStep<TContext>[])steps;
    }

    private ValidationStep<TContext> StepFor<TContext>(OpenIddictValidationHandlerDescriptor descriptor) where TContext : BaseContext
    {
        var service = descriptor.ServiceDescriptor;
        var handler = service.ImplementationInstance is IOpenIddictValidationHandler<TContext> instance
            ? new Resolvable<IOpenIddictValidationHandler<TContext>>(instance, service.ServiceType)
            : ResolvableFor<IOpenIddictValidationHandler<TContext>>(service.ServiceType);
        return new ValidationStep<TContext>(handler,
            [.. descriptor.FilterTypes.Select(ResolvableFor<IOpenIddictValidationHandlerFilter<TContext>>)]);
    }

    private Resolvable<T> ResolvableFor<T>(Type type) where T : class =>
        new(singletons.Contains(type) ? Resolvable<T>.Resolve(root, type) : null, type);

    private sealed record Index(List<OpenIddictValidationHandlerDescriptor> Source, ConcurrentDictionary<Type, object> ByContext);
}

/// <summary>A service resolved once when it is a singleton (<see cref="Instance"/>), else from the request's scope.</summary>
internal readonly record struct Resolvable<T>(T? Instance, Type Type) where T : class
{
    public T From(IServiceProvider scope) => Instance ?? Resolve(scope, Type);

    internal static T Resolve(IServiceProvider provider, Type type) =>
        provider.GetService(type) as T ?? throw new InvalidOperationException($"{type} is not registered as a {typeof(T).Name}.");
}

/// <summary>One handler of an event, with the filters that decide whether it runs.</summary>
internal sealed record ValidationStep<TContext>(
    Resolvable<IOpenIddictValidationHandler<TContext>> Handler,
    Resolvable<IOpenIddictValidationHandlerFilter<TContext>>[] Filters) where TContext : BaseContext
{
    /// <summary>Not an async method: nearly every filter answers synchronously, and a state machine per call would cost more.</summary>
    public ValueTask<bool> IsActiveAsync(TContext context, IServiceProvider scope) => IsActiveFromAsync(0, context, scope);

    private ValueTask<bool> IsActiveFromAsync(int first, TContext context, IServiceProvider scope)
    {
        for (var i = first; i < Filters.Length; i++)
        {
            var active = Filters[i].From(scope).IsActiveAsync(context);
            if (!active.IsCompletedSuccessfully)
            {
                return AfterPendingAsync(active, i + 1, context, scope);
            }
            if (!active.Result)
            {
                return ValueTask.FromResult(false);
            }
        }
        return ValueTask.FromResult(true);
    }

    private async ValueTask<bool> AfterPendingAsync(ValueTask<bool> pending, int next, TContext context, IServiceProvider scope) =>
        await pending && await IsActiveFromAsync(next, context, scope);
}
