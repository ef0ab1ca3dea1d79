using System.Text.Json.Serialization;

namespace Ruum.Identity.Features.Admin.Users;

/// <summary>A change to a user's profile: fields left out stay as they are.</summary>
public sealed record UserInput
{
    public string? DisplayName { get; init; }

    public string? Email { get; init; }
}

public sealed record UserSummary(Guid Id, string Email, string DisplayName, bool Enabled);

public sealed record UserCompany(Guid CompanyId, string CompanyName, string Role);

public sealed record UserProject(string ProjectId, string ProjectName, Guid CompanyId, string Role);

public sealed record UserSecondFactor(bool Authenticator, int RecoveryCodesLeft, bool EmailCode);

public sealed record UserDevice(Guid Id, string Label, DateTimeOffset CreatedAt, DateTimeOffset LastUsedAt, DateTimeOffset ExpiresAt);

/// <summary>A live browser session (see Features/Sessions): where and when, and the applications it signed into.</summary>
public sealed record UserSession(Guid Id, string DeviceLabel, string? IpAddress, DateTimeOffset CreatedAt, DateTimeOffset LastSeenAt,
    IReadOnlyList<string> Clients);

public sealed record UserLockout(DateTimeOffset? PasswordLockedUntil, DateTimeOffset? SecondFactorLockedUntil);

/// <summary>
/// A user as an admin sees them. A company admin sees only the memberships of the companies they administer.
/// </summary>
public sealed record UserView(
    Guid Id,
    string Email,
    string DisplayName,
    bool Enabled,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastSignInAt,
    IReadOnlyList<string> PlatformRoles,
    IReadOnlyList<UserCompany> Companies,
    IReadOnlyList<UserProject> Projects,
    UserSecondFactor SecondFactor,
    IReadOnlyList<UserDevice> TrustedDevices,
    UserLockout Lockout,
    IReadOnlyList<UserSession> Sessions)
{
    [JsonIgnore]
    public string? Version { get; init; }
}
