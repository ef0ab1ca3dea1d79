using Ruum.Identity.Features.Audit;

namespace Ruum.Identity.Features.Admin;

/// <summary>
/// Every change made through the admin API is an audit event: who (the user, or the client for automation), what
/// (the event type), the target, and a summary of the change. Callers pass no secrets: a rotated secret is
/// recorded as "rotated", never as its value.
/// </summary>
public sealed class AdminAudit(AuditLog audit)
{
    public Task RecordAsync(AdminCaller caller, string type, string target, object? changes = null, Guid? companyId = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return audit.RecordAsync(type, AuditOutcomes.Success, caller.UserId, new
        {
            actor = caller.Actor,
            target,
            company_id = companyId,
            changes,
        }, caller.ClientId, cancellationToken);
    }
}
