using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Ruum.Identity.Infrastructure.Database;
using Ruum.Identity.Infrastructure.Database.CompiledModel;

namespace Ruum.Identity.Tests.Database;

public sealed class CompiledModelTests
{
    private const string Regenerate = "Run dotnet ef dbcontext optimize (README, Database).";

    [Fact]
    public void PostgresCompiledModel_MatchesTheModelBuiltFromCode()
    {
        using var db = ((IDesignTimeDbContextFactory<RuumDbContext>)new PostgresDesignTimeFactory()).CreateDbContext([]);
        var builtFromCode = db.GetService<IDesignTimeModel>().Model;

        Assert.IsType<RuumDbContextModel>(db.Model);
        Assert.True(Describe(builtFromCode) == Describe(db.Model), Regenerate);
    }

    [Fact]
    public void SqliteContext_BuildsItsOwnModel()
    {
        using var db = ((IDesignTimeDbContextFactory<SqliteRuumDbContext>)new SqliteDesignTimeFactory()).CreateDbContext([]);

        Assert.IsNotType<RuumDbContextModel>(db.Model);
    }

    // Entities, keys, indexes and relationships, then where and how each property is stored.
    private static string Describe(IModel model) =>
        model.ToDebugString(MetadataDebugStringOptions.ShortDefault) + string.Concat(
            from entity in model.GetEntityTypes()
            from property in entity.GetProperties()
            select $"\n{entity.GetTableName()}.{property.GetColumnName()} {property.GetColumnType()} " +
                $"{property.GetValueGeneratorFactory()?.Method.DeclaringType} {property.GetValueConverter()?.GetType()}");
}
