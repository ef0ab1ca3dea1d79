using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ruum.Identity.Infrastructure.Database.Migrations.PostgreSql
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
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "LastPasswordFailureAt",
                table: "trusted_devices",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "PasswordLockedUntil",
                table: "trusted_devices",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "SharesCodeOf",
                table: "pending_sign_ins",
                type: "uuid",
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
