using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ruum.Identity.Infrastructure.Database.Migrations.PostgreSql
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
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "MaxSessionMinutes",
                table: "companies",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "RequireAuthenticator",
                table: "companies",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<Guid>(
                name: "CompanyId",
                table: "audit_events",
                type: "uuid",
                nullable: true);

            // Hand-written: earlier rows get the company their details name (the admin API's company_id), the same value
            // AuditLog now writes, so filters and `audit verify` (which checks column and details agree) treat them alike.
            migrationBuilder.Sql("""
                ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update;
                UPDATE audit_events
                SET "CompanyId" = substring("Details" from '"company_id":"([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})')::uuid
                WHERE "Details" ~ '"company_id":"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
                ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update;
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
