using System;
using System.Linq;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ruum.Identity.Infrastructure.Database.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CompanySecurityPolicy : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "ForbidTrustedDevices",
                table: "companies",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "MaxSessionMinutes",
                table: "companies",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "RequireAuthenticator",
                table: "companies",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<Guid>(
                name: "CompanyId",
                table: "audit_events",
                type: "TEXT",
                nullable: true);

            // Hand-written: earlier rows get the company their details name (the admin API's company_id), the same value
            // AuditLog now writes, so filters and `audit verify` (which checks column and details agree) treat them alike.
            // SQLite stores a Guid as upper-case text; the append-only trigger steps aside for this one update.
            const string Tag = "'\"company_id\":\"'";
            var id = $"substr(\"Details\", instr(\"Details\", {Tag}) + 14, 36)";
            static string Hex(int count) => string.Concat(Enumerable.Repeat("[0-9a-fA-F]", count));
            var shape = $"{Hex(8)}-{Hex(4)}-{Hex(4)}-{Hex(4)}-{Hex(12)}";
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS audit_events_no_update;");
            migrationBuilder.Sql($"""
                UPDATE audit_events SET "CompanyId" = upper({id})
                WHERE instr("Details", {Tag}) > 0 AND {id} GLOB '{shape}';
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
                BEGIN
                    SELECT RAISE(ABORT, 'audit_events is append-only');
                END;
                """);

            migrationBuilder.CreateIndex(
                name: "IX_audit_events_CompanyId_Sequence",
                table: "audit_events",
                columns: new[] { "CompanyId", "Sequence" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_audit_events_CompanyId_Sequence",
                table: "audit_events");

            migrationBuilder.DropColumn(
                name: "ForbidTrustedDevices",
                table: "companies");

            migrationBuilder.DropColumn(
                name: "MaxSessionMinutes",
                table: "companies");

            migrationBuilder.DropColumn(
                name: "RequireAuthenticator",
                table: "companies");

            migrationBuilder.DropColumn(
                name: "CompanyId",
                table: "audit_events");
        }
    }
}
