using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ruum.Identity.Infrastructure.Database.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DeviceLockoutAndSharedCodes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "FailedPasswords",
                table: "trusted_devices",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "LastPasswordFailureAt",
                table: "trusted_devices",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "PasswordLockedUntil",
                table: "trusted_devices",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "SharesCodeOf",
                table: "pending_sign_ins",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "FailedPasswords",
                table: "trusted_devices");

            migrationBuilder.DropColumn(
                name: "LastPasswordFailureAt",
                table: "trusted_devices");

            migrationBuilder.DropColumn(
                name: "PasswordLockedUntil",
                table: "trusted_devices");

            migrationBuilder.DropColumn(
                name: "SharesCodeOf",
                table: "pending_sign_ins");
        }
    }
}
