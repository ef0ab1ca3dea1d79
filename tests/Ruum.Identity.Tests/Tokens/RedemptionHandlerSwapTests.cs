using OpenIddict.Server;
using Ruum.Identity.Features.Tokens;

namespace Ruum.Identity.Tests.Tokens;

/// <summary>Our refresh-token redemption takes the place of OpenIddict's, and says so when that place is gone.</summary>
public sealed class RedemptionHandlerSwapTests
{
    [Fact]
    public void Replace_OpenIddictsHandlers_PutsOursInItsPlace()
    {
        var options = new OpenIddictServerOptions(); // holds OpenIddict's default handlers
        var place = options.Handlers.IndexOf(OpenIddictServerHandlers.RedeemTokenEntry.Descriptor);

        RedeemRefreshTokenOnce.ReplaceOpenIddictRedemption(options);

        Assert.True(place >= 0);
        Assert.Same(RedeemRefreshTokenOnce.OtherGrantsRedemption, options.Handlers[place]);
        Assert.DoesNotContain(options.Handlers, handler => ReferenceEquals(handler, OpenIddictServerHandlers.RedeemTokenEntry.Descriptor));
        Assert.Equal(OpenIddictServerHandlers.DefaultHandlers.Length, options.Handlers.Count);
    }

    [Fact]
    public void Replace_WithoutOpenIddictsHandler_FailsNamingIt()
    {
        var options = new OpenIddictServerOptions();
        options.Handlers.Remove(OpenIddictServerHandlers.RedeemTokenEntry.Descriptor);

        var failure = Assert.Throws<InvalidOperationException>(() => RedeemRefreshTokenOnce.ReplaceOpenIddictRedemption(options));

        Assert.Contains("RedeemTokenEntry", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(options.Handlers, handler => ReferenceEquals(handler, RedeemRefreshTokenOnce.OtherGrantsRedemption));
    }
}
