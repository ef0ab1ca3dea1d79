using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ruum.Identity.Infrastructure.Database.Migrations.PostgreSql
{
    /// <summary>
    /// The audit log's hash chain (see AuditChain), and, hand-written: retention deletes through
    /// <c>audit_events_delete_expired</c>, a SECURITY DEFINER function owned by the migrating (owner) role, so the
    /// server's role needs only INSERT and SELECT on audit_events (deploy/README.md). The function deletes only
    /// from the chain's old end and never its newest row.
    /// </summary>
    public partial class AuditHashChain : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "Hash",
                table: "audit_events",
                type: "bytea",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "PreviousHash",
                table: "audit_events",
                type: "bytea",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "Sequence",
                table: "audit_events",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_audit_events_Sequence",
                table: "audit_events",
                column: "Sequence",
                unique: true);

            migrationBuilder.Sql("""
                CREATE FUNCTION audit_events_delete_expired(cutoff timestamptz, batch_size integer) RETURNS integer
                LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
                DECLARE
                    keep_from bigint;
                    deleted integer;
                BEGIN
                    SELECT min("Sequence") INTO keep_from FROM audit_events WHERE "Sequence" IS NOT NULL AND "OccurredAt" >= cutoff;
                    IF keep_from IS NULL THEN
                        SELECT max("Sequence") INTO keep_from FROM audit_events;
                    END IF;
                    DELETE FROM audit_events WHERE "Id" IN (
                        SELECT "Id" FROM audit_events
                        WHERE "Sequence" < keep_from OR ("Sequence" IS NULL AND "OccurredAt" < cutoff)
                        ORDER BY "Sequence" LIMIT batch_size);
                    GET DIAGNOSTICS deleted = ROW_COUNT;
                    RETURN deleted;
                END $$;
                REVOKE ALL ON FUNCTION audit_events_delete_expired(timestamptz, integer) FROM PUBLIC;
                REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM PUBLIC;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS audit_events_delete_expired(timestamptz, integer);");

            migrationBuilder.DropIndex(
                name: "IX_audit_events_Sequence",
                table: "audit_events");

            migrationBuilder.DropColumn(
                name: "Hash",
                table: "audit_events");

            migrationBuilder.DropColumn(
                name: "PreviousHash",
                table: "audit_events");

            migrationBuilder.DropColumn(
                name: "Sequence",
                table: "audit_events");
        }
    }
}
