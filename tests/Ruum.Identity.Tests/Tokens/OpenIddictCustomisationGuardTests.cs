using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using OpenIddict.Validation;
using Ruum.Identity.Features.Tokens;
using Ruum.Identity.Infrastructure.DataProtection;
using Ruum.Identity.Tests.Infrastructure;
using Ruum.Identity.Validation;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Ruum.Identity.Tests.Tokens;

/// <summary>
/// What our customisations take for granted about OpenIddict's (and Data Protection's) internals. After an upgrade,
/// a failure names the customisation to review before shipping: the replaced server dispatcher and its handler index,
/// the swapped refresh-token redemption, every handler placed relative to one of OpenIddict's, the fast path's copy of
/// OpenIddict's access-token format, and the Data Protection service the key-ring warm-up removes by name.
/// </summary>
[Collection(FastPathPairCollection.Name)]
public sealed class OpenIddictCustomisationGuardTests(FastPathPair pair)
{
    private static readonly string OpenIddictVersion =
        typeof(OpenIddictServerDispatcher).Assembly.GetName().Version?.ToString(3) ?? "?";

    // ---- IndexedServerDispatcher and ServerHandlerIndex: a copy of OpenIddictServerDispatcher's loop ----

    [Theory]
    [InlineData("none")]
    [InlineData("reject")]
    [InlineData("handle")]
    [InlineData("skip")]
    [InlineData("throw")]
    [InlineData("unregistered filter")]
    public async Task IndexedServerDispatcher_AnyOutcome_RunsWhatOpenIddictsDispatcherRuns(string outcome)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<Always>().AddSingleton<Later>().AddSingleton<AfterLater>().AddScoped<ScopedStep>();
        if (outcome != "unregistered filter")
        {
            services.AddSingleton<Never>();
        }
        services.Configure<OpenIddictServerOptions>(options =>
        {
            options.Handlers.Clear();
            options.Handlers.AddRange(DispatchScenario);
        });
        services.AddSingleton(new ServerHandlerIndex.Singletons(services)).AddSingleton<ServerHandlerIndex>();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        var options = provider.GetRequiredService<IOptionsMonitor<OpenIddictServerOptions>>();
        var index = provider.GetRequiredService<ServerHandlerIndex>();

        var openIddicts = await TraceAsync(provider, outcome,
            scope => new OpenIddictServerDispatcher(NullLogger<OpenIddictServerDispatcher>.Instance, options, scope));
        var ours = await TraceAsync(provider, outcome,
            scope => new IndexedServerDispatcher(index, scope, NullLogger<IndexedServerDispatcher>.Instance));

        Assert.True(openIddicts.SequenceEqual(ours),
            $"IndexedServerDispatcher (with ServerHandlerIndex) no longer dispatches as OpenIddict {OpenIddictVersion}'s " +
            $"OpenIddictServerDispatcher does (outcome '{outcome}'): OpenIddict ran [{string.Join(", ", openIddicts)}], " +
            $"ours [{string.Join(", ", ours)}]. Bring it in line with this version's dispatcher, or go back to OpenIddict's.");
    }

    [Fact]
    public void IndexedServerDispatcher_IsTheServersDispatcher()
    {
        using var scope = pair.Fast.Services.CreateScope();

        Assert.IsType<IndexedServerDispatcher>(scope.ServiceProvider.GetRequiredService<IOpenIddictServerDispatcher>());
    }

    // Registered out of order: OpenIddict sorts its handlers once, when it builds its options, and its dispatcher then
    // walks the list as it is. Were the dispatcher to sort (or skip, or re-check) on its own, the traces would differ.
    private static readonly OpenIddictServerHandlerDescriptor[] DispatchScenario =
    [
        Step("last", 7_000),
        Step("first", 1_000),
        Step("outcome", 5_000, handler: context =>
        {
            Trace(context).Add("outcome");
            switch (context.Transaction.GetProperty<string>("outcome"))
            {
                case "reject": context.Reject("invalid_request"); break;
                case "handle": context.HandleRequest(); break;
                case "skip": context.SkipRequest(); break;
                case "throw": throw new InvalidOperationException("outcome");
            }
            return default;
        }),
        Step("never", 2_000, step => step.AddFilter<Never>()),
        OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessRequestContext>().UseScopedHandler<ScopedStep>().SetOrder(6_000).Build(),
        Step("later", 3_000, step => step.AddFilter<Later>().AddFilter<Always>()),
        Step("after later", 4_000, step => step.AddFilter<AfterLater>()),
    ];

    private static OpenIddictServerHandlerDescriptor Step(string name, int order,
        Func<OpenIddictServerHandlerDescriptor.Builder<ProcessRequestContext>, OpenIddictServerHandlerDescriptor.Builder<ProcessRequestContext>>? filters = null,
        Func<ProcessRequestContext, ValueTask>? handler = null)
    {
        var builder = OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessRequestContext>()
            .UseInlineHandler(handler ?? (context => { Trace(context).Add(name); return default; }))
            .SetOrder(order);
        return (filters?.Invoke(builder) ?? builder).Build();
    }

    private static List<string> Trace(BaseContext context) => context.Transaction.GetProperty<List<string>>("trace")!;

    private static async Task<List<string>> TraceAsync(IServiceProvider provider, string outcome,
        Func<IServiceProvider, IOpenIddictServerDispatcher> dispatcher)
    {
        await using var scope = provider.CreateAsyncScope();
        var context = new ProcessRequestContext(new OpenIddictServerTransaction());
        var trace = new List<string>();
        context.Transaction.SetProperty("trace", trace);
        context.Transaction.SetProperty("outcome", outcome);
        try
        {
            await dispatcher(scope.ServiceProvider).DispatchAsync(context);
        }
        catch (InvalidOperationException exception)
        {
            trace.Add("threw " + (exception.Message == "outcome" ? "from the handler" : "for a filter"));
        }
        trace.Add($"rejected {context.IsRejected}, handled {context.IsRequestHandled}, skipped {context.IsRequestSkipped}");
        return trace;
    }

    private sealed class Always : IOpenIddictServerHandlerFilter<ProcessRequestContext>
    {
        public ValueTask<bool> IsActiveAsync(ProcessRequestContext context) => new(true);
    }

    private sealed class Never : IOpenIddictServerHandlerFilter<ProcessRequestContext>
    {
        public ValueTask<bool> IsActiveAsync(ProcessRequestContext context) => new(false);
    }

    private sealed class Later : IOpenIddictServerHandlerFilter<ProcessRequestContext>
    {
        public async ValueTask<bool> IsActiveAsync(ProcessRequestContext context)
        {
            await Task.Yield();
            return true;
        }
    }

    /// <summary>Asked only once the handlers before it ran (OpenIddict asks each handler's filters just before it).</summary>
    private sealed class AfterLater : IOpenIddictServerHandlerFilter<ProcessRequestContext>
    {
        public ValueTask<bool> IsActiveAsync(ProcessRequestContext context) => new(Trace(context).Contains("later"));
    }

    private sealed class ScopedStep : IOpenIddictServerHandler<ProcessRequestContext>
    {
        public ValueTask HandleAsync(ProcessRequestContext context)
        {
            Trace(context).Add("scoped");
            return default;
        }
    }

    // ---- RedeemRefreshTokenOnce: OpenIddict's RedeemTokenEntry swapped for a copy that skips refresh tokens ----

    [Fact]
    public void RedeemRefreshTokenOnce_OpenIddictsRedemption_IsSwappedInItsPlace()
    {
        var defaults = new OpenIddictServerOptions(); // holds OpenIddict's default handlers
        var place = defaults.Handlers.IndexOf(OpenIddictServerHandlers.RedeemTokenEntry.Descriptor);
        Assert.True(place >= 0 && OpenIddictServerHandlers.RedeemTokenEntry.Descriptor.ContextType == typeof(ProcessSignInContext),
            $"RedeemRefreshTokenOnce replaces OpenIddict's RedeemTokenEntry on ProcessSignInContext, which OpenIddict {OpenIddictVersion} " +
            "no longer registers there: check how this version redeems refresh tokens.");

        RedeemRefreshTokenOnce.ReplaceOpenIddictRedemption(defaults);

        Assert.Same(RedeemRefreshTokenOnce.OtherGrantsRedemption, defaults.Handlers[place]);
        Assert.Equal(OpenIddictServerHandlers.DefaultHandlers.Length, defaults.Handlers.Count);
        var live = ServerHandlers();
        Assert.Contains(RedeemRefreshTokenOnce.OtherGrantsRedemption, live);
        Assert.DoesNotContain(OpenIddictServerHandlers.RedeemTokenEntry.Descriptor, live);
    }

    [Fact]
    public void RedeemRefreshTokenOnce_WithoutOpenIddictsHandler_FailsAtStartNamingIt()
    {
        var options = new OpenIddictServerOptions();
        options.Handlers.Remove(OpenIddictServerHandlers.RedeemTokenEntry.Descriptor);

        var failure = Assert.Throws<InvalidOperationException>(() => RedeemRefreshTokenOnce.ReplaceOpenIddictRedemption(options));

        Assert.Contains("RedeemTokenEntry", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(options.Handlers, handler => ReferenceEquals(handler, RedeemRefreshTokenOnce.OtherGrantsRedemption));
    }

    // ---- Every handler of ours, and where it must run among OpenIddict's ----

    private enum Rule { After, Before, InPlaceOf, First, Last }

    /// <summary>Each custom handler (a generic one by its definition), where it must run, and relative to which of OpenIddict's.</summary>
    private static readonly (Type Handler, Rule Rule, Slot? Reference)[] Placements =
    [
        (typeof(SkipAccessTokenStorage), Rule.Before, Slot.Of(OpenIddictServerHandlers.Protection.CreateTokenEntry.Descriptor)),
        (typeof(SignServerOnlyTokensWithHmac), Rule.After, Slot.Of(OpenIddictServerHandlers.Protection.AttachSecurityCredentials.Descriptor)),
        (typeof(ValidateWithCurrentSigningKeys), Rule.After, Slot.Of(OpenIddictServerHandlers.Protection.ResolveTokenValidationParameters.Descriptor)),
        (typeof(RejectAccessTokensBeforeCutoff), Rule.After, Slot.Of(OpenIddictServerHandlers.Protection.ValidateExpirationDate.Descriptor)),
        (typeof(RevokeAuthorizationOnReplay), Rule.Before, Slot.Of(OpenIddictServerHandlers.Protection.ValidateTokenEntry.Descriptor)),
        (typeof(RedeemRefreshTokenOnce), Rule.Before, Slot.Of(OpenIddictServerHandlers.RedeemTokenEntry.Descriptor)),
        (typeof(RecordRevocation), Rule.After, Slot.Of(OpenIddictServerHandlers.Revocation.RevokeToken.Descriptor)),
        (typeof(CachedSigningKeys), Rule.InPlaceOf, Slot.Of(OpenIddictServerHandlers.Discovery.AttachSigningKeys.Descriptor)),
        (typeof(RejectRepeatedParameters<>), Rule.First, null),
        (typeof(RejectConflictingClientIds<>), Rule.First, null),
        (typeof(RejectUnreadableFormCharset<>), Rule.First, null),
        (typeof(RefuseClientsOverFailureLimit<>), Rule.First, null),
        (typeof(CountFailedClientAuthentication), Rule.First, null),
        (typeof(BeginTokenIssuanceTransaction), Rule.First, null),
        (typeof(CommitTokenIssuanceTransaction), Rule.First, null),
        (typeof(RejectMalformedCodeChallenge), Rule.After, Slot.Of(OpenIddictServerHandlers.Authentication.ValidateProofKeyForCodeExchangeParameters.Descriptor)),
        (typeof(RejectMalformedCodeVerifier), Rule.After, Slot.Of(OpenIddictServerHandlers.Exchange.ValidateProofKeyForCodeExchangeParameters.Descriptor)),
        (typeof(RejectUserInfoWithoutOpenIdScope), Rule.After, Slot.Of(OpenIddictServerHandlers.UserInfo.ValidateAuthentication.Descriptor)),
        (typeof(AdvertiseAcrValues), Rule.Before, Slot.Of(OpenIddictServerHandlers.Discovery.AttachSecurityRequirements.Descriptor)),
        (typeof(UnknownKeyRefresh), Rule.Before, Slot.Of(OpenIddictValidationHandlers.Protection.ValidateIdentityModelToken.Descriptor)),
        (typeof(ValidatedTokenCache.Reuse), Rule.Before, Slot.Of(OpenIddictValidationHandlers.Protection.ValidateIdentityModelToken.Descriptor)),
        (typeof(ValidatedTokenCache.Capture), Rule.After, Slot.Of(OpenIddictValidationHandlers.Protection.ValidateIdentityModelToken.Descriptor)),
        (typeof(ValidatedTokenCache.Remember), Rule.Last, null),
        (typeof(RejectTokensNotYetValid), Rule.After, Slot.Of(OpenIddictValidationHandlers.Protection.ValidateExpirationDate.Descriptor)),
    ];

    [Fact]
    public void CustomHandlers_OfTheServerAndTheValidationPackage_RunWhereTheyMust()
    {
        var server = ServerHandlers().Select(Slot.Of).ToList();
        var serverDefaults = OpenIddictServerHandlers.DefaultHandlers.Concat(OpenIddictServerAspNetCoreHandlers.DefaultHandlers).Select(Slot.Of).ToList();
        var validation = ValidationHandlers().Select(Slot.Of).ToList();
        var validationDefaults = OpenIddictValidationHandlers.DefaultHandlers.Select(Slot.Of).ToList();

        var problems = Check(server, serverDefaults).Concat(Check(validation, validationDefaults)).ToList();
        problems.AddRange(Placements.Where(p => !server.Concat(validation).Any(slot => Matches(slot, p.Handler)))
            .Select(p => $"{NameOf(p.Handler)} is in this guard's list but no longer registered: take it out."));

        Assert.True(problems.Count == 0, $"With OpenIddict {OpenIddictVersion}:\n" + string.Join("\n", problems));
    }

    private static IEnumerable<string> Check(List<Slot> registered, List<Slot> defaults)
    {
        foreach (var ours in registered.Where(slot => !slot.IsOpenIddicts))
        {
            var placement = Placements.FirstOrDefault(p => Matches(ours, p.Handler));
            if (placement.Handler is null)
            {
                yield return $"{ours.Name} is a handler of ours on {ours.Context.Name} that this guard does not know: add it to " +
                    "Placements, saying where among OpenIddict's handlers it must run.";
                continue;
            }
            var theirs = registered.Where(slot => slot.IsOpenIddicts && slot.Context == ours.Context).ToList();
            var reference = placement.Reference;
            if (reference is not null && !defaults.Any(slot => slot.Service == reference.Service && slot.Context == ours.Context))
            {
                yield return $"{ours.Name} is placed relative to OpenIddict's {reference.Name}, which no longer handles {ours.Context.Name}.";
                continue;
            }
            // OpenIddict gives some handlers of one event the same order: any of those ties is "right before/after".
            var before = theirs.Where(slot => slot.Order <= ours.Order).MaxBy(slot => slot.Order);
            var after = theirs.Where(slot => slot.Order >= ours.Order).MinBy(slot => slot.Order);
            bool Adjacent(Slot? nearest) => nearest is not null
                && theirs.Any(slot => slot.Order == nearest.Order && slot.Service == reference!.Service);
            var problem = placement.Rule switch
            {
                Rule.After when !Adjacent(before) =>
                    $"must run right after OpenIddict's {reference!.Name} (Order {reference.Order}), but {before?.Name ?? "nothing"} now runs just before it",
                Rule.Before when !Adjacent(after) =>
                    $"must run right before OpenIddict's {reference!.Name} (Order {reference.Order}), but {after?.Name ?? "nothing"} now runs just after it",
                Rule.InPlaceOf when ours.Order != reference!.Order || theirs.Any(slot => slot.Service == reference.Service) =>
                    $"takes the place of OpenIddict's {reference.Name} (Order {reference.Order}), which is still registered or has moved",
                Rule.First when theirs.Any(slot => slot.Order <= ours.Order) =>
                    $"must run before OpenIddict's first check, but {theirs.MinBy(slot => slot.Order)!.Name} now runs first",
                Rule.Last when theirs.Any(slot => slot.Order >= ours.Order) =>
                    $"must run after OpenIddict's last handler, but {theirs.MaxBy(slot => slot.Order)!.Name} now runs last",
                _ => null,
            };
            if (problem is not null)
            {
                yield return $"{ours.Name} (Order {ours.Order}, {ours.Context.Name}) {problem}.";
            }
        }
    }

    private static bool Matches(Slot slot, Type handler) =>
        slot.Service == handler || (slot.Service.IsGenericType && slot.Service.GetGenericTypeDefinition() == handler);

    private static string NameOf(Type type) => type.IsGenericType
        ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(NameOf))}>"
        : type.Name;

    /// <summary>One registered handler, server or validation alike.</summary>
    private sealed record Slot(Type Context, Type Service, int Order)
    {
        public static Slot Of(OpenIddictServerHandlerDescriptor descriptor) =>
            new(descriptor.ContextType, descriptor.ServiceDescriptor.ServiceType, descriptor.Order);

        public static Slot Of(OpenIddictValidationHandlerDescriptor descriptor) =>
            new(descriptor.ContextType, descriptor.ServiceDescriptor.ServiceType, descriptor.Order);

        public bool IsOpenIddicts => Service.Assembly.GetName().Name!.StartsWith("OpenIddict.", StringComparison.Ordinal);

        public string Name => NameOf(Service);
    }

    private List<OpenIddictServerHandlerDescriptor> ServerHandlers() =>
        pair.Fast.Services.GetRequiredService<IOptionsMonitor<OpenIddictServerOptions>>().CurrentValue.Handlers;

    private static List<OpenIddictValidationHandlerDescriptor> ValidationHandlers()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddRuumIdentityValidation(o =>
        {
            o.Authority = new Uri("https://id.ruum.test/");
            o.Audience = "ruum-api";
        });
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptionsMonitor<OpenIddictValidationOptions>>().CurrentValue.Handlers;
    }

    // ---- ClientCredentialsFastPath: its own copy of OpenIddict's access-token format ----

    [Fact]
    public async Task ClientCredentialsFastPath_AccessToken_HasOpenIddictsFormat()
    {
        var fast = await pair.Fast.ClientCredentialsAsync();
        var openIddicts = await pair.OpenIddictOnly.ClientCredentialsAsync();

        var differences = FastPathPair.FormatDifferences(fast.GetProperty("access_token").GetString()!,
            openIddicts.GetProperty("access_token").GetString()!);

        Assert.True(differences.Count == 0,
            $"ClientCredentialsFastPath writes its own copy of OpenIddict's access token, and OpenIddict {OpenIddictVersion}'s now differs: " +
            string.Join("; ", differences) + ". Match it, or turn the fast path off (Ruum:Tokens:ClientCredentialsFastPath).");
    }

    // ---- KeyRingWarmUp: Data Protection's internal start-up service, removed by its type name ----

    [Fact]
    public void KeyRingWarmUp_DataProtectionsStartupLoad_IsFoundByNameAndRemoved()
    {
        var builder = WebApplication.CreateEmptyBuilder(new()); // no configuration files, so no file watchers
        builder.Services.AddDataProtection();
        var hosted = HostedServices(builder);
        Assert.True(hosted.Contains(KeyRingWarmUp.StartupLoadTypeName),
            $"KeyRingWarmUp removes Data Protection's start-up key-ring load by its internal type name {KeyRingWarmUp.StartupLoadTypeName}, " +
            $"but AddDataProtection now registers [{string.Join(", ", hosted)}]: find the service that loads the key ring.");

        builder.LoadKeyRingAfterStart();

        Assert.DoesNotContain(KeyRingWarmUp.StartupLoadTypeName, HostedServices(builder));
    }

    private static List<string?> HostedServices(WebApplicationBuilder builder) =>
        [.. builder.Services.Where(service => service.ServiceType == typeof(IHostedService)).Select(service => service.ImplementationType?.FullName)];
}
