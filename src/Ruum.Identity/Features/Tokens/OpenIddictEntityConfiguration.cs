using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.ValueGeneration;
using OpenIddict.EntityFrameworkCore.Models;

namespace Ruum.Identity.Features.Tokens;

/// <summary>
/// OpenIddict's tables, adjusted: time-ordered (version 7) ids so inserts append to the primary-key index
/// instead of splitting random pages, and indexes for what pruning (creation date) and revocation
/// by subject query; the authorization id already has the foreign-key index.
/// </summary>
internal sealed class OpenIddictEntityConfiguration :
    IEntityTypeConfiguration<OpenIddictEntityFrameworkCoreToken>,
    IEntityTypeConfiguration<OpenIddictEntityFrameworkCoreAuthorization>,
    IEntityTypeConfiguration<OpenIddictEntityFrameworkCoreApplication>,
    IEntityTypeConfiguration<OpenIddictEntityFrameworkCoreScope>
{
    public void Configure(EntityTypeBuilder<OpenIddictEntityFrameworkCoreToken> builder)
    {
        builder.Property(t => t.Id).HasValueGeneratorFactory<TimeOrderedStringIdFactory>();
        builder.HasIndex(t => t.CreationDate);
        builder.HasIndex(t => t.Subject);
    }

    public void Configure(EntityTypeBuilder<OpenIddictEntityFrameworkCoreAuthorization> builder)
    {
        builder.Property(a => a.Id).HasValueGeneratorFactory<TimeOrderedStringIdFactory>();
        builder.HasIndex(a => a.CreationDate);
    }

    public void Configure(EntityTypeBuilder<OpenIddictEntityFrameworkCoreApplication> builder) =>
        builder.Property(a => a.Id).HasValueGeneratorFactory<TimeOrderedStringIdFactory>();

    public void Configure(EntityTypeBuilder<OpenIddictEntityFrameworkCoreScope> builder) =>
        builder.Property(s => s.Id).HasValueGeneratorFactory<TimeOrderedStringIdFactory>();
}

/// <summary>Version 7 ids. A factory, not a generator, so the compiled model (Infrastructure/Database/CompiledModel) can name it.</summary>
internal sealed class TimeOrderedStringIdFactory : ValueGeneratorFactory
{
    public override ValueGenerator Create(IProperty property, ITypeBase typeBase) => new TimeOrderedStringId();

    private sealed class TimeOrderedStringId : ValueGenerator<string>
    {
        public override bool GeneratesTemporaryValues => false;

        public override string Next(EntityEntry entry) => Guid.CreateVersion7().ToString();
    }
}
