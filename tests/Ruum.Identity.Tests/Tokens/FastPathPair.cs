using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using Ruum.Identity.Features.Tokens;
using Ruum.Identity.Tests.Infrastructure;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Ruum.Identity.Tests.Tokens;

/// <summary>
/// Two servers alike but for the client-credentials fast path: on in <see cref="Fast"/>, off in
/// <see cref="OpenIddictOnly"/>. Both log OpenIddict's extraction of each token request, so a test can tell which
/// requests OpenIddict saw. Both hold the same extra clients (secret <see cref="ClientSecret"/>): <c>diff-named</c> (a
/// display name JSON must escape), <c>diff-nameless</c> (also allowed <c>ruum.permissions</c>), <c>diff-no-token-endpoint</c>
/// and <c>diff-no-grant</c> (each lacking that permission); all are allowed <c>ruum.api</c>.
/// </summary>
public sealed class FastPathPair : IAsyncLifetime
{
    public const string ClientSecret = "differential-secret";

    public RuumServer Fast { get; private set; } = null!;

    public RuumServer OpenIddictOnly { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Fast = await RuumServer.StartAsync(new Dictionary<string, string?> { ["Logging:LogLevel:OpenIddict"] = "Information" });
        OpenIddictOnly = await RuumServer.StartAsync(new Dictionary<string, string?>
        {
            ["Ruum:Tokens:ClientCredentialsFastPath"] = "false",
            ["Logging:LogLevel:OpenIddict"] = "Information",
        });
        await CreateClientAsync("diff-named", "Bauträger \"Süd\" <Dienst> & Co", Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials);
        await CreateClientAsync("diff-nameless", null, Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials,
            Permissions.Prefixes.Scope + RuumScopes.Permissions);
        await CreateClientAsync("diff-no-token-endpoint", "No token endpoint", Permissions.GrantTypes.ClientCredentials);
        await CreateClientAsync("diff-no-grant", "No grant", Permissions.Endpoints.Token);
    }

    public async Task DisposeAsync()
    {
        await Fast.DisposeAsync();
        await OpenIddictOnly.DisposeAsync();
    }

    /// <summary>The same confidential client on both servers.</summary>
    private async Task CreateClientAsync(string clientId, string? name, params string[] permissions)
    {
        foreach (var server in new[] { Fast, OpenIddictOnly })
        {
            var descriptor = new OpenIddictApplicationDescriptor
            {
                ClientId = clientId,
                ClientSecret = ClientSecret,
                ClientType = ClientTypes.Confidential,
                DisplayName = name,
                Permissions = { Permissions.Prefixes.Scope + RuumScopes.Api },
            };
            descriptor.Permissions.UnionWith(permissions);
            await server.WithServicesAsync(async services =>
                await services.GetRequiredService<IOpenIddictApplicationManager>().CreateAsync(descriptor));
        }
    }

    /// <summary>How many token requests OpenIddict's own pipeline has extracted on <paramref name="server"/>.</summary>
    public static int ExtractedByOpenIddict(RuumServer server) =>
        server.Logs.Lines.Count(line => line.Contains("OpenIddict.Server", StringComparison.Ordinal)
            && line.Contains("token request was successfully extracted", StringComparison.Ordinal));

    /// <summary>A token request exactly as given: the raw form body and, if any, <c>user:password</c> for Basic, not escaped.</summary>
    public static async Task<(HttpResponseMessage Response, JsonElement Json)> PostTokenAsync(RuumServer server, string form, string? basic)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "connect/token")
        {
            Content = new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        if (basic is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(basic)));
        }
        var response = await server.CreatePlainClient().SendAsync(request);
        return (response, await response.JsonAsync());
    }

    /// <summary>
    /// Where the fast path's access token differs from OpenIddict's in form: header, claim names and their order, the
    /// JSON kind of each claim, and every value but the issuer (each server's own address), times and token id.
    /// </summary>
    public static List<string> FormatDifferences(string fastToken, string openIddictToken)
    {
        var differences = new List<string>();
        var (fastHeader, header) = (Jwt.Header(fastToken).GetRawText(), Jwt.Header(openIddictToken).GetRawText());
        if (fastHeader != header)
        {
            differences.Add($"header {fastHeader} is not OpenIddict's {header}");
        }
        var (fast, expected) = (Jwt.Payload(fastToken), Jwt.Payload(openIddictToken));
        var (fastNames, names) = (Names(fast), Names(expected));
        if (!fastNames.SequenceEqual(names))
        {
            differences.Add($"claims [{string.Join(", ", fastNames)}] are not OpenIddict's [{string.Join(", ", names)}]");
        }
        foreach (var name in names.Intersect(fastNames))
        {
            var (mine, theirs) = (fast.GetProperty(name), expected.GetProperty(name));
            if (mine.ValueKind != theirs.ValueKind)
            {
                differences.Add($"claim {name} is a JSON {mine.ValueKind}, OpenIddict's a {theirs.ValueKind}");
            }
            else if (name is not ("iss" or "exp" or "iat" or "jti") && mine.GetRawText() != theirs.GetRawText())
            {
                differences.Add($"claim {name} is {mine.GetRawText()}, OpenIddict's {theirs.GetRawText()}");
            }
        }
        if (Lifetime(fast) != Lifetime(expected))
        {
            differences.Add($"lifetime {Lifetime(fast)} s is not OpenIddict's {Lifetime(expected)} s");
        }
        return differences;
    }

    private static string[] Names(JsonElement json) => [.. json.EnumerateObject().Select(property => property.Name)];

    private static long? Lifetime(JsonElement claims) =>
        claims.TryGetProperty("exp", out var exp) && claims.TryGetProperty("iat", out var iat) ? exp.GetInt64() - iat.GetInt64() : null;
}

[CollectionDefinition(Name)]
public sealed class FastPathPairCollection : ICollectionFixture<FastPathPair>
{
    public const string Name = "Client-credentials fast path and OpenIddict side by side";
}
