namespace Ruum.Identity.Features.Admin.Users;

/// <summary>
/// <c>POST /api/admin/users/invitations</c>: who, and the memberships they will have once they have accepted and
/// signed in. A company owner or admin must name one of their companies; a platform admin may invite without one.
/// </summary>
public sealed record InvitationInput
{
    public string? Email { get; init; }

    public string? DisplayName { get; init; }

    public Guid? CompanyId { get; init; }

    /// <summary>A company role of the catalogue (GET /api/admin/roles); required with <see cref="CompanyId"/>.</summary>
    public string? Role { get; init; }

    /// <summary>Optionally a project of that company, with a project role of the catalogue.</summary>
    public string? ProjectId { get; init; }

    public string? ProjectRole { get; init; }
}

/// <summary>An invitation as an admin sees it; <c>status</c> is pending, accepted, completed, expired or revoked.</summary>
public sealed record InvitationView(
    Guid Id,
    Guid UserId,
    string Email,
    string DisplayName,
    Guid? CompanyId,
    string? Role,
    string? ProjectId,
    string? ProjectRole,
    string Status,
    string InvitedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? AcceptedAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? RevokedAt)
{
    /// <summary>Whether the mail with the link left the server; false: resend once mail works again.</summary>
    public bool? EmailSent { get; init; }
}
