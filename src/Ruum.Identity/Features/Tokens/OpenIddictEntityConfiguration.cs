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
    }

    public void Configure(EntityTypeBuilder<OpenIddictEntityFrameworkCoreAuthorization> builder) =>
        builder.HasIndex(a => a.CreationDate);
}
