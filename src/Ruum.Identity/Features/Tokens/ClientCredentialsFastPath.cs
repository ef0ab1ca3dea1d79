using System.Buffers;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using Ruum.Identity.Features.Clients;
using Ruum.Identity.Features.Lockout;
using Ruum.Identity.Infrastructure.Hosting;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Ruum.Identity.Features.Tokens;

/// <summary>
/// The client-credentials grant in the shape services send it (a confidential client with a secret, Basic or in the
/// form, asking for registered scopes), answered without OpenIddict's pipeline: that pipeline costs about three times
/// the ES256 signature a token needs. It issues the token OpenIddict would (same claims in the same order, same
/// header, same response) and nothing else: any other request, and every request it cannot grant, goes on to
/// OpenIddict untouched, so every refusal and every rarer shape (private_key_jwt, resource indicators, per-client
/// lifetimes, ...) keeps OpenIddict's answer. <c>Ruum:Tokens:ClientCredentialsFastPath=false</c> turns it off.
/// </summary>
internal sealed class ClientCredentialsFastPath(
    RequestDelegate next,
    IOptions<OpenIddictServerOptions> serverOptions,
    IOptions<OpenIddictServerAspNetCoreOptions> aspNetCoreOptions,
    IOptions<TokenOptions> tokenOptions,
    SigningKeyRing keys,
    ServiceClientCache clients,
    ClientSecretHasher hasher,
    ClientAuthenticationFailures failures,
    TimeProvider time)
{
    private static readonly HashSet<string> Understood =
        [Parameters.GrantType, Parameters.Scope, Parameters.ClientId, Parameters.ClientSecret];

    private static readonly Dictionary<string, object> AccessTokenHeader = new() { [JwtHeaderParameterNames.Typ] = JsonWebTokenTypes.AccessToken };

    private static readonly JsonWebTokenHandler Tokens = new() { SetDefaultTimesOnTokenCreation = false };

    private readonly HashSet<string> _registeredScopes = serverOptions.Value.Scopes;
    private readonly PathString _tokenPath = new("/" + serverOptions.Value.TokenEndpointUris[0].OriginalString.TrimStart('/'));
    private readonly string? _configuredIssuer = serverOptions.Value.Issuer?.AbsoluteUri;
    private readonly TimeSpan? _lifetime = serverOptions.Value.AccessTokenLifetime;
    private readonly bool _enabled = tokenOptions.Value.ClientCredentialsFastPath
        && serverOptions.Value.GrantTypes.Contains(GrantTypes.ClientCredentials)
        && serverOptions.Value.AccessTokenLifetime is not null;
    private readonly bool _httpAllowed = aspNetCoreOptions.Value.DisableTransportSecurityRequirement;

    public async Task InvokeAsync(HttpContext context)
    {
        var grant = IsCandidate(context) ? await TryGrantAsync(context) : null;
        if (grant is null)
        {
            await next(context);
            return;
        }
        await WriteAsync(context.Response, grant.Value);
    }

    private bool IsCandidate(HttpContext context)
    {
        var request = context.Request;
        return _enabled
            && HttpMethods.IsPost(request.Method)
            && request.Path.Equals(_tokenPath, StringComparison.Ordinal)
            && (request.IsHttps || _httpAllowed)
            && MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            && string.Equals(type.MediaType, "application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)
            && FormCharset.IsReadable(request.ContentType)
            && context.Connection.ClientCertificate is null
            && !request.Headers.ContainsKey("DPoP");
    }

    private async Task<Grant?> TryGrantAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        foreach (var (parameter, values) in form)
        {
            if (!Understood.Contains(parameter) || values.Count != 1 || string.IsNullOrEmpty(values[0]))
            {
                return null;
            }
        }
        if (form[Parameters.GrantType] != GrantTypes.ClientCredentials
            || ReadClient(context.Request, form) is not { } client
            || ReadScopes(form[Parameters.Scope]) is not { } scopes)
        {
            return null;
        }
        var (clientId, secret) = client;

        // A client over its failed-authentication budget goes to OpenIddict, which refuses it (in memory, no lookup).
        if (failures.RefusedFor(clientId) is not null)
        {
            return null;
        }
        var cancellationToken = context.RequestAborted;
        if (await clients.FindAsync(clientId, context.RequestServices, cancellationToken) is not { } service
            || !scopes.All(service.Scopes.Contains)
            || !hasher.Verify(secret, service.SecretHash)
            || IssuerOf(context.Request) is not { } issuer)
        {
            return null;
        }
        var resources = await service.ResourcesAsync(scopes, context.RequestServices, cancellationToken);
        // In memory: the key set is read from the database at most every 30 s, not per request.
        var signing = (await keys.CurrentAsync(cancellationToken)).Signing;
        return Issue(issuer, service, scopes, resources, signing);
    }

    /// <summary>Exactly one way of sending the client's id and secret, in plain characters (no percent-decoding to disagree on).</summary>
    private static (string ClientId, string Secret)? ReadClient(HttpRequest request, IFormCollection form)
    {
        var authorization = request.Headers.Authorization;
        if (authorization.Count == 0)
        {
            return form.ContainsKey(Parameters.ClientId) && form.ContainsKey(Parameters.ClientSecret)
                ? (form[Parameters.ClientId].ToString(), form[Parameters.ClientSecret].ToString())
                : null;
        }
        if (authorization.Count != 1 || form.ContainsKey(Parameters.ClientId) || form.ContainsKey(Parameters.ClientSecret)
            || !AuthenticationHeaderValue.TryParse(authorization[0], out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) || header.Parameter is null)
        {
            return null;
        }
        var bytes = new byte[header.Parameter.Length];
        if (!Convert.TryFromBase64String(header.Parameter, bytes, out var written))
        {
            return null;
        }
        var pair = Encoding.UTF8.GetString(bytes, 0, written);
        var colon = pair.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && colon < pair.Length - 1 && pair.AsSpan().IndexOfAny('%', '+') < 0
            ? (pair[..colon], pair[(colon + 1)..])
            : null;
    }

    /// <summary>Registered scopes, each once, none of the OpenID ones (which ask for a user).</summary>
    private string[]? ReadScopes(string? scope)
    {
        var scopes = scope?.Split(' ') ?? [];
        return scopes.Length > 0
            && scopes.All(name => name.Length > 0 && _registeredScopes.Contains(name) && name is not Scopes.OpenId and not Scopes.OfflineAccess)
            && scopes.Distinct(StringComparer.Ordinal).Count() == scopes.Length
            ? scopes
            : null;
    }

    /// <summary>The configured issuer, or the request's own base address as OpenIddict infers it.</summary>
    private string? IssuerOf(HttpRequest request)
    {
        if (_configuredIssuer is not null)
        {
            return _configuredIssuer;
        }
        return request.Host.HasValue
            && Uri.TryCreate(request.Scheme + Uri.SchemeDelimiter + request.Host + request.PathBase + "/", UriKind.Absolute, out var inferred)
            && inferred.IsWellFormedOriginalString()
            ? inferred.AbsoluteUri
            : null;
    }

    /// <summary>The claims, in the order, of OpenIddict's access token for this grant (see ClientCredentialsFastPathTests).</summary>
    private Grant Issue(string issuer, ServiceClient client, string[] scopes, string[] resources, SigningCredentials signing)
    {
        var now = time.GetUtcNow();
        var expires = now + _lifetime!.Value; // set: _enabled requires it
        var payload = new ArrayBufferWriter<byte>(512);
        // IdentityModel's escaping, so a display name is the same bytes as in OpenIddict's token (the payload is
        // base64url-encoded: it never reaches an HTML or script context).
        using (var json = new Utf8JsonWriter(payload, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString(Claims.Issuer, issuer);
            json.WriteNumber(Claims.ExpiresAt, expires.ToUnixTimeSeconds());
            json.WriteNumber(Claims.IssuedAt, now.ToUnixTimeSeconds());
            if (resources.Length == 1)
            {
                json.WriteString(Claims.Audience, resources[0]);
            }
            else if (resources.Length > 1)
            {
                json.WriteStartArray(Claims.Audience);
                foreach (var resource in resources)
                {
                    json.WriteStringValue(resource);
                }
                json.WriteEndArray();
            }
            json.WriteString(Claims.Scope, string.Join(' ', scopes));
            json.WriteString(Claims.JwtId, Guid.NewGuid().ToString());
            json.WriteString(Claims.Subject, client.ClientId);
            if (client.Name is not null)
            {
                json.WriteString(Claims.Name, client.Name);
            }
            json.WriteString(Claims.Private.Presenter, client.ClientId);
            json.WriteString(Claims.ClientId, client.ClientId);
            json.WriteEndObject();
        }
        var token = Tokens.CreateToken(Encoding.UTF8.GetString(payload.WrittenSpan), signing, AccessTokenHeader);
        return new Grant(token, expires);
    }

    /// <summary>OpenIddict's token response: JSON, never cached (RFC 6749 §5.1).</summary>
    private async Task WriteAsync(HttpResponse response, Grant grant)
    {
        var body = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(body, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString(Parameters.AccessToken, grant.AccessToken);
            json.WriteString(Parameters.TokenType, TokenTypes.Bearer);
            json.WriteNumber(Parameters.ExpiresIn, (long)(grant.Expires - time.GetUtcNow()).TotalSeconds);
            json.WriteEndObject();
        }
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json;charset=UTF-8";
        response.ContentLength = body.WrittenCount;
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
        response.Headers.Expires = "Thu, 01 Jan 1970 00:00:00 GMT";
        await response.Body.WriteAsync(body.WrittenMemory, response.HttpContext.RequestAborted);
    }

    private readonly record struct Grant(string AccessToken, DateTimeOffset Expires);
}
