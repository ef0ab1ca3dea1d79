using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace Ruum.Identity.Tests.Infrastructure;

/// <summary>Reads a JWT's parts without validating it (the tests check what the server put in).</summary>
public static class Jwt
{
    public static JsonElement Header(string token) => Part(token, 0);

    public static JsonElement Payload(string token) => Part(token, 1);

    public static string Encode(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));

    private static JsonElement Part(string token, int index) =>
        JsonDocument.Parse(Base64UrlEncoder.Decode(token.Split('.')[index])).RootElement;
}
