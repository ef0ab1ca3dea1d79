using Ruum.Identity.Tests.Infrastructure;
using Ruum.Identity.Validation;

namespace Ruum.Identity.Tests.Tenancy;

/// <summary>The validation package reads a token's <c>kid</c> from the header alone, on every request.</summary>
public sealed class KeyIdTests
{
    [Fact]
    public void KeyIdOf_CompactJws_ReadsTheHeaderKid()
    {
        var token = $"{Jwt.Encode("""{"alg":"RS256","kid":"key-1","typ":"at+jwt"}""")}.{Jwt.Encode("""{"kid":"not-this"}""")}.c2ln";

        Assert.Equal("key-1", UnknownKeyRefresh.KeyIdOf(token));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("no-dots-at-all")]
    [InlineData(".payload.signature")]
    [InlineData("!!!not-base64!!!.e30.c2ln")]
    public void KeyIdOf_NotAToken_IsNull(string? token) => Assert.Null(UnknownKeyRefresh.KeyIdOf(token));

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"alg":"RS256"}""")]
    [InlineData("""{"alg":"RS256","kid":42}""")]
    [InlineData("""{"alg":"RS256","x":{"kid":"nested"}}""")]
    [InlineData("""{"alg":"RS256","kid":"truncated""")]
    public void KeyIdOf_HeaderWithoutTopLevelStringKid_IsNull(string header) =>
        Assert.Null(UnknownKeyRefresh.KeyIdOf($"{Jwt.Encode(header)}.e30.c2ln"));

    [Fact]
    public void KeyIdOf_HeaderLongerThanAnyJoseHeader_IsNull() =>
        Assert.Null(UnknownKeyRefresh.KeyIdOf($"{new string('A', 4096)}.e30.c2ln"));
}
