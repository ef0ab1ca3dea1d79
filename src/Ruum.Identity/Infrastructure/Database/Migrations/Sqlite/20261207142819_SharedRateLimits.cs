using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ruum.Identity.Infrastructure.Database.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SharedRateLimits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "rate_limit_windows",
                columns: table => new
                {
                    Key = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    EndsAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rate_limit_windows", x => new { x.Key, x.EndsAt });
                });

            migrationBuilder.CreateIndex(
                name: "IX_rate_limit_windows_EndsAt",
                table: "rate_limit_windows",
                column: "EndsAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "rate_limit_windows");
        }
    }
}
