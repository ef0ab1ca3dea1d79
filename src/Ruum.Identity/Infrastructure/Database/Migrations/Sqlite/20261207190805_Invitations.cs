using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ruum.Identity.Infrastructure.Database.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Invitations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "CompanyRole",
                table: "invitations",
                type: "TEXT",
                maxLength: 50,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "CompletedAt",
                table: "invitations",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ProjectId",
                table: "invitations",
                type: "TEXT",
                maxLength: 10,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ProjectRole",
                table: "invitations",
                type: "TEXT",
                maxLength: 50,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "RevokedAt",
                table: "invitations",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_invitations_CompanyId",
                table: "invitations",
                column: "CompanyId");

            migrationBuilder.CreateIndex(
                name: "IX_invitations_ProjectId",
                table: "invitations",
                column: "ProjectId");

            migrationBuilder.AddForeignKey(
                name: "FK_invitations_companies_CompanyId",
                table: "invitations",
                column: "CompanyId",
                principalTable: "companies",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_invitations_projects_ProjectId",
                table: "invitations",
                column: "ProjectId",
                principalTable: "projects",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_invitations_companies_CompanyId",
                table: "invitations");

            migrationBuilder.DropForeignKey(
                name: "FK_invitations_projects_ProjectId",
                table: "invitations");

            migrationBuilder.DropIndex(
                name: "IX_invitations_CompanyId",
                table: "invitations");

            migrationBuilder.DropIndex(
                name: "IX_invitations_ProjectId",
                table: "invitations");

            migrationBuilder.DropColumn(
                name: "CompanyRole",
                table: "invitations");

            migrationBuilder.DropColumn(
                name: "CompletedAt",
                table: "invitations");

            migrationBuilder.DropColumn(
                name: "ProjectId",
                table: "invitations");

            migrationBuilder.DropColumn(
                name: "ProjectRole",
                table: "invitations");

            migrationBuilder.DropColumn(
                name: "RevokedAt",
                table: "invitations");
        }
    }
}
