using Microsoft.EntityFrameworkCore;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Features.Tenancy;

/// <summary>A company the user may make active, as the picker page lists it.</summary>
public sealed record CompanyOption(Guid Id, string Name, string Role, bool IsDefault);

/// <summary>Which company a new authorization is for.</summary>
public abstract record CompanyDecision
{
    /// <summary>This company (null: the user belongs to none, so the tokens carry no company).</summary>
    public sealed record Active(Guid? CompanyId) : CompanyDecision;

    /// <summary>Several companies and no default yet (or the client asked to choose again): show the picker.</summary>
    public sealed record Ask : CompanyDecision;

    /// <summary>The client asked for a company the user does not belong to (or an id that is not one).</summary>
    public sealed record NotAMember : CompanyDecision;
}

/// <summary>
/// Chooses the active company: the one the client asks for (<c>company_id</c>), else the only one,
/// else the one the user last picked, else ask. Only a first-party client may switch company by asking; a third
/// party's request is honoured only when it names the company the user would be in anyway, else the user picks
/// (so it cannot move the user to another company silently, nor learn which companies they belong to).
/// </summary>
public sealed class CompanyChoice(RuumDbContext db, TimeProvider time)
{
    /// <summary>The authorization request parameter a client uses to ask for (or silently switch to) a company.</summary>
    public const string Parameter = "company_id";

    public async Task<IReadOnlyList<CompanyOption>> ListAsync(Guid userId, CancellationToken cancellationToken)
    {
        var options = await (
            from m in db.Set<CompanyMembership>()
            join c in db.Set<Company>() on m.CompanyId equals c.Id
            join r in db.Set<Role>() on m.RoleId equals r.Id
            where m.UserId == userId
            select new { c.Id, c.Name, Role = r.Name, m.ChosenAt }).ToListAsync(cancellationToken);
        var latest = options.Where(o => o.ChosenAt is not null).MaxBy(o => o.ChosenAt)?.Id;
        return options.OrderBy(o => o.Name, StringComparer.CurrentCultureIgnoreCase)
            .Select(o => new CompanyOption(o.Id, o.Name, o.Role, o.Id == latest))
            .ToList();
    }

    public async Task<CompanyDecision> DecideAsync(Guid userId, string? requested, bool chooseAgain, bool firstParty,
        CancellationToken cancellationToken)
    {
        var companies = await ListAsync(userId, cancellationToken);
        if (requested is not null && (firstParty || companies.Count == 0))
        {
            return Guid.TryParse(requested, out var id) && companies.Any(c => c.Id == id)
                ? new CompanyDecision.Active(id)
                : new CompanyDecision.NotAMember();
        }
        var remembered = companies.Count == 1 ? companies[0] : companies.SingleOrDefault(c => c.IsDefault);
        if (requested is not null)
        {
            return remembered is not null && !chooseAgain && Guid.TryParse(requested, out var id) && id == remembered.Id
                ? new CompanyDecision.Active(id)
                : new CompanyDecision.Ask();
        }
        if (companies.Count <= 1)
        {
            return new CompanyDecision.Active(companies.SingleOrDefault()?.Id);
        }
        return remembered is null || chooseAgain ? new CompanyDecision.Ask() : new CompanyDecision.Active(remembered.Id);
    }

    /// <summary>Remembers the user's pick as their default; false when they are not a member (the form was tampered with).</summary>
    public async Task<bool> RememberAsync(Guid userId, Guid companyId, CancellationToken cancellationToken)
    {
        var membership = await db.Set<CompanyMembership>()
            .SingleOrDefaultAsync(m => m.UserId == userId && m.CompanyId == companyId, cancellationToken);
        if (membership is null)
        {
            return false;
        }
        membership.ChosenAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }
}
