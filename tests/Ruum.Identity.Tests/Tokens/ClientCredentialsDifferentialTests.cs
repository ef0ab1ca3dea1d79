using System.Net;
using Ruum.Identity.Features.Tokens;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Tokens;

/// <summary>
/// The same client-credentials requests, valid and invalid, sent to a server with the fast path
/// (<see cref="ClientCredentialsFastPath"/>) and to one without it: same status, same OAuth error, and for a success
/// the same token (header and claims; the issuer is each server's own address, times and id differ). Any difference
/// is a bug in the fast path, which must answer as OpenIddict does.
/// </summary>
[Collection(FastPathPairCollection.Name)]
public sealed class ClientCredentialsDifferentialTests(FastPathPair pair)
{
    private const string Api = "grant_type=client_credentials&scope=ruum.api";
    private const string DevService = "dev-service:dev-service-secret";
    private const string Secret = FastPathPair.ClientSecret;

    /// <summary>name → (form, Basic credentials, whether the fast path answers it itself).</summary>
    private static readonly Dictionary<string, (string Form, string? Basic, bool Fast)> Requests = new()
    {
        // Valid.
        ["Basic"] = (Api, DevService, true),
        ["secret in the form, two scopes, no display name"] =
            ("grant_type=client_credentials&scope=ruum.api%20ruum.permissions&client_id=diff-nameless&client_secret=" + Secret, null, true),
        ["display name JSON escapes"] = (Api, "diff-named:" + Secret, true),
        ["scopes in the other order"] = ("grant_type=client_credentials&scope=ruum.permissions%20ruum.api", "diff-nameless:" + Secret, true),
        ["Basic and the same client_id in the form"] = (Api + "&client_id=dev-service", DevService, false),
        ["no scope"] = ("grant_type=client_credentials", DevService, false),
        ["unknown extra parameter"] = (Api + "&foo=bar", DevService, false),
        ["percent-encoded Basic credentials"] = (Api, "dev%2Dservice:dev-service-secret", false),
        // Invalid.
        ["unknown client"] = (Api, "nobody:dev-service-secret", false),
        ["wrong secret"] = (Api, "dev-service:wrong-secret", false),
        ["empty secret"] = (Api, "dev-service:", false),
        ["missing secret"] = (Api + "&client_id=dev-service", null, false),
        ["no client at all"] = (Api, null, false),
        ["no grant_type"] = ("scope=ruum.api", DevService, false),
        ["unsupported grant type"] = ("grant_type=password&username=a&password=b&scope=ruum.api", DevService, false),
        ["unknown grant type"] = ("grant_type=urn%3Aruum%3Aunknown&scope=ruum.api", DevService, false),
        ["grant_type twice"] = (Api + "&grant_type=client_credentials", DevService, false),
        ["scope twice"] = (Api + "&scope=ruum.api", DevService, false),
        ["scope named twice in one parameter"] = ("grant_type=client_credentials&scope=ruum.api%20ruum.api", DevService, false),
        ["empty scope"] = ("grant_type=client_credentials&scope=", DevService, false),
        ["Basic names one client, the form another"] = (Api + "&client_id=dev-spa", DevService, false),
        ["Basic and a secret in the form"] = (Api + "&client_secret=dev-service-secret", DevService, false),
        ["no token-endpoint permission"] = (Api, "diff-no-token-endpoint:" + Secret, false),
        ["no client-credentials permission"] = (Api, "diff-no-grant:" + Secret, false),
        ["scope not permitted"] = ("grant_type=client_credentials&scope=ruum.permissions", DevService, false),
        ["unknown scope"] = ("grant_type=client_credentials&scope=ruum.unknown", DevService, false),
        ["openid scope"] = ("grant_type=client_credentials&scope=openid%20ruum.api", DevService, false),
        ["offline_access scope"] = ("grant_type=client_credentials&scope=offline_access%20ruum.api", DevService, false),
        ["public client"] = (Api + "&client_id=dev-spa", null, false),
        ["public client with a secret"] = (Api, "dev-spa:anything", false),
        ["resource indicator"] = (Api + "&resource=https%3A%2F%2Fapi.ruum.test%2F", DevService, false),
    };

    public static TheoryData<string> Names => [.. Requests.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public async Task ClientCredentialsRequest_FastPathAndOpenIddict_AnswerAlike(string name)
    {
        var (form, basic, answeredByFastPath) = Requests[name];
        var seenByOpenIddict = FastPathPair.ExtractedByOpenIddict(pair.Fast);

        var (fast, fastJson) = await FastPathPair.PostTokenAsync(pair.Fast, form, basic);
        var (slow, slowJson) = await FastPathPair.PostTokenAsync(pair.OpenIddictOnly, form, basic);

        var fastError = fastJson.TryGetProperty("error", out var e1) ? e1.GetString() : null;
        var slowError = slowJson.TryGetProperty("error", out var e2) ? e2.GetString() : null;
        Assert.True(fast.StatusCode == slow.StatusCode && fastError == slowError,
            $"{name}: with the fast path {(int)fast.StatusCode} {fastError}, OpenIddict alone {(int)slow.StatusCode} {slowError}.");
        // The comparison means something only if the fast path answered the requests it should.
        if (answeredByFastPath)
        {
            Assert.Equal(seenByOpenIddict, FastPathPair.ExtractedByOpenIddict(pair.Fast));
        }
        if (slow.StatusCode != HttpStatusCode.OK)
        {
            Assert.False(fastJson.TryGetProperty("access_token", out _), name);
            return;
        }
        var (fastToken, slowToken) = (fastJson.GetProperty("access_token").GetString()!, slowJson.GetProperty("access_token").GetString()!);
        var differences = FastPathPair.FormatDifferences(fastToken, slowToken);
        Assert.True(differences.Count == 0, $"{name}: " + string.Join("; ", differences));
        Assert.Equal(pair.Fast.BaseAddress.ToString(), Jwt.Payload(fastToken).GetProperty("iss").GetString());
        Assert.Equal(slowJson.GetProperty("token_type").GetString(), fastJson.GetProperty("token_type").GetString());
        var expiresIn = slowJson.GetProperty("expires_in").GetInt32();
        Assert.InRange(fastJson.GetProperty("expires_in").GetInt32(), expiresIn - 2, expiresIn + 2);
        Assert.Equal(slow.Headers.CacheControl?.ToString(), fast.Headers.CacheControl?.ToString());
        Assert.Equal(slow.Headers.Pragma.ToString(), fast.Headers.Pragma.ToString());
        Assert.Equal(slow.Content.Headers.ContentType?.ToString(), fast.Content.Headers.ContentType?.ToString());
        // As good as OpenIddict's own: the server's introspection accepts it.
        Assert.True((await pair.Fast.IntrospectAsync(fastToken)).GetProperty("active").GetBoolean(), name);
    }
}
