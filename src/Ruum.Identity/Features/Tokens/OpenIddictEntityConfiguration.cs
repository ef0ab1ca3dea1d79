using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OpenIddict.EntityFrameworkCore.Models;

namespace Ruum.Identity.Features.Tokens;

/// <summary>
/// OpenIddict's tables, adjusted: indexes for what pruning (creation date) and revocation by subject query; the
/// authorization id already has the foreign-key index. Time-ordered ids come from <see cref="TimeOrderedTokenStore"/>
/// and <see cref="TimeOrderedAuthorizationStore"/>.
/// </summary>
internal sealed class OpenIddictEntityConfiguration :
    IEntityTypeConfiguration<OpenIddictEntityFrameworkCoreToken>,
    IEntityTypeConfiguration<OpenIddictEntityFrameworkCoreAuthorization>
{
    public void Configure(EntityTypeBuilder<OpenIddictEntityFrameworkCoreToken> builder)
    {
        builder.HasIndex(t => t.CreationDate);
        builder.HasIndex(t => t.Subject);

        // Every refresh redeems a token: it changes Status, RedemptionDate and the concurrency token. With none of
        // them in an index, PostgreSQL rewrites the row on its own page (a HOT update) instead of adding an entry to
        // each of the table's six indexes. OpenIddict's (ApplicationId, Status, Subject, Type) lookups still narrow
        // down by the other three columns.
        const string applicationId = "ApplicationId"; // the foreign key, a shadow property
        builder.Metadata.RemoveIndex(builder.HasIndex(applicationId, nameof(OpenIddictEntityFrameworkCoreToken.Status),
            nameof(OpenIddictEntityFrameworkCoreToken.Subject), nameof(OpenIddictEntityFrameworkCoreToken.Type)).Metadata);
        builder.HasIndex(applicationId, nameof(OpenIddictEntityFrameworkCoreToken.Subject), nameof(OpenIddictEntityFrameworkCoreToken.Type));
        // The page keeps room for that new version of the row.
        builder.HasStorageParameter("fillfactor", 90);
        // We issue no reference tokens: index only the rows that have a reference id, not a null for every token.
        builder.HasIndex(t => t.ReferenceId).IsUnique().HasFilter("\"ReferenceId\" IS NOT NULL");
    }

    public void Configure(EntityTypeBuilder<OpenIddictEntityFrameworkCoreAuthorization> builder) =>
        builder.HasIndex(a => a.CreationDate);
}
