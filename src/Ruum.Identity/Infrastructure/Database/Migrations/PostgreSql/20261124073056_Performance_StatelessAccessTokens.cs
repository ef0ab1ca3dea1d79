using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ruum.Identity.Infrastructure.Database.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class Performance_StatelessAccessTokens : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "access_token_cutoffs",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    NotBefore = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_access_token_cutoffs", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_OpenIddictTokens_CreationDate",
                table: "OpenIddictTokens",
                column: "CreationDate");

            migrationBuilder.CreateIndex(
                name: "IX_OpenIddictTokens_Subject",
                table: "OpenIddictTokens",
                column: "Subject");

            migrationBuilder.CreateIndex(
                name: "IX_OpenIddictAuthorizations_CreationDate",
                table: "OpenIddictAuthorizations",
                column: "CreationDate");

            migrationBuilder.CreateIndex(
                name: "IX_access_token_cutoffs_Kind_Key",
                table: "access_token_cutoffs",
                columns: new[] { "Kind", "Key" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "access_token_cutoffs");

            migrationBuilder.DropIndex(
                name: "IX_OpenIddictTokens_CreationDate",
                table: "OpenIddictTokens");

            migrationBuilder.DropIndex(
                name: "IX_OpenIddictTokens_Subject",
                table: "OpenIddictTokens");

            migrationBuilder.DropIndex(
                name: "IX_OpenIddictAuthorizations_CreationDate",
                table: "OpenIddictAuthorizations");
        }
    }
}
