using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using Microsoft.IdentityModel.Tokens;

namespace Ruum.Identity.Features.Admin.Tenancy;

public sealed record CompanyInput
{
    public string? Name { get; init; }
}

public sealed record ProjectInput
{
    public string? Name { get; init; }
}

/// <summary>A role for a member: a name from the catalogue of the company's or the project's scope.</summary>
public sealed record MembershipInput
{
    public string? Role { get; init; }
}

public sealed record CompanyView(Guid Id, string Name, DateTimeOffset CreatedAt)
{
    [JsonIgnore]
    public string Version => TenancyVersions.Of(Id.ToString(), Name);
}

public sealed record ProjectView(string Id, Guid CompanyId, string Name, DateTimeOffset CreatedAt)
{
    [JsonIgnore]
    public string Version => TenancyVersions.Of(Id, Name);
}

public sealed record MemberView(Guid UserId, string Email, string DisplayName, string Role)
{
    [JsonIgnore]
    public string Version => TenancyVersions.Of(UserId.ToString(), Role);
}

/// <summary>ETags of rows without a version column: a digest of what an admin can change about them.</summary>
internal static class TenancyVersions
{
    public static string Of(params string[] parts) =>
        Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', parts)))[..12]);
}
