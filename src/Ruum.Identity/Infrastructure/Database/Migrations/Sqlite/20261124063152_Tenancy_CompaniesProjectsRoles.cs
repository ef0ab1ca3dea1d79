using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace Ruum.Identity.Infrastructure.Database.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Tenancy_CompaniesProjectsRoles : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "companies",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_companies", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "permissions",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_permissions", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "roles",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Scope = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_roles", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "projects",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    CompanyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_projects", x => x.Id);
                    table.UniqueConstraint("AK_projects_Id_CompanyId", x => new { x.Id, x.CompanyId });
                    table.ForeignKey(
                        name: "FK_projects_companies_CompanyId",
                        column: x => x.CompanyId,
                        principalTable: "companies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "company_memberships",
                columns: table => new
                {
                    UserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CompanyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RoleId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ChosenAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_company_memberships", x => new { x.UserId, x.CompanyId });
                    table.ForeignKey(
                        name: "FK_company_memberships_companies_CompanyId",
                        column: x => x.CompanyId,
                        principalTable: "companies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_company_memberships_roles_RoleId",
                        column: x => x.RoleId,
                        principalTable: "roles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_company_memberships_users_UserId",
                        column: x => x.UserId,
                        principalTable: "users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "platform_role_assignments",
                columns: table => new
                {
                    UserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RoleId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_platform_role_assignments", x => new { x.UserId, x.RoleId });
                    table.ForeignKey(
                        name: "FK_platform_role_assignments_roles_RoleId",
                        column: x => x.RoleId,
                        principalTable: "roles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_platform_role_assignments_users_UserId",
                        column: x => x.UserId,
                        principalTable: "users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "role_permissions",
                columns: table => new
                {
                    RoleId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PermissionName = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_role_permissions", x => new { x.RoleId, x.PermissionName });
                    table.ForeignKey(
                        name: "FK_role_permissions_permissions_PermissionName",
                        column: x => x.PermissionName,
                        principalTable: "permissions",
                        principalColumn: "Name",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_role_permissions_roles_RoleId",
                        column: x => x.RoleId,
                        principalTable: "roles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "project_memberships",
                columns: table => new
                {
                    UserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProjectId = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    CompanyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RoleId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_project_memberships", x => new { x.UserId, x.ProjectId });
                    table.ForeignKey(
                        name: "FK_project_memberships_company_memberships_UserId_CompanyId",
                        columns: x => new { x.UserId, x.CompanyId },
                        principalTable: "company_memberships",
                        principalColumns: new[] { "UserId", "CompanyId" },
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_project_memberships_projects_ProjectId_CompanyId",
                        columns: x => new { x.ProjectId, x.CompanyId },
                        principalTable: "projects",
                        principalColumns: new[] { "Id", "CompanyId" },
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_project_memberships_roles_RoleId",
                        column: x => x.RoleId,
                        principalTable: "roles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.InsertData(
                table: "permissions",
                columns: new[] { "Name", "Description" },
                values: new object[,]
                {
                    { "company.manage", "Change the company's profile, settings and billing, or close it." },
                    { "company.read", "See the company's profile and settings." },
                    { "members.manage", "Invite and remove members and change their roles." },
                    { "members.read", "See who belongs to the company or project, and with which role." },
                    { "platform.manage", "Administer Ruum Identity itself: clients, users and roles of every company. Ruum staff only." },
                    { "project.create", "Create projects in the company." },
                    { "project.delete", "Archive or delete a project." },
                    { "project.read", "Read a project's data: plans, documents, schedules, reports." },
                    { "project.write", "Change a project's data." }
                });

            migrationBuilder.InsertData(
                table: "roles",
                columns: new[] { "Id", "Description", "Name", "Scope" },
                values: new object[,]
                {
                    { new Guid("085dc9da-9ef1-4d71-b8bb-c06e1e279a55"), "Changes the project's data.", "editor", "Project" },
                    { new Guid("2ef07b23-d62f-4a3b-8b4b-0b45bc555fe3"), "Owns the company account: everything, including billing.", "owner", "Company" },
                    { new Guid("30500684-5dbf-42e4-b4e3-feb63831b6ec"), "Runs the company: members and projects, not billing.", "admin", "Company" },
                    { new Guid("5b16d94a-e14b-472f-9d68-52aa1a6f4935"), "Leads the project: its data and its members.", "manager", "Project" },
                    { new Guid("5fdcf03a-b7e5-410d-b7d2-ade23f87e81b"), "Ruum staff who operate the platform.", "platform_admin", "Platform" },
                    { new Guid("6bfdde27-6fda-48c7-a64b-719125603010"), "Sees the company; reads the projects they are added to.", "viewer", "Company" },
                    { new Guid("73b130ba-9f65-45f2-ae5d-cf3d0d08ab30"), "Works in the company's projects they are added to; can start new ones.", "member", "Company" },
                    { new Guid("77655100-1cfa-46df-a395-ba1d0de83c72"), "Reads the project's data.", "viewer", "Project" }
                });

            migrationBuilder.InsertData(
                table: "role_permissions",
                columns: new[] { "PermissionName", "RoleId" },
                values: new object[,]
                {
                    { "members.read", new Guid("085dc9da-9ef1-4d71-b8bb-c06e1e279a55") },
                    { "project.read", new Guid("085dc9da-9ef1-4d71-b8bb-c06e1e279a55") },
                    { "project.write", new Guid("085dc9da-9ef1-4d71-b8bb-c06e1e279a55") },
                    { "company.manage", new Guid("2ef07b23-d62f-4a3b-8b4b-0b45bc555fe3") },
                    { "company.read", new Guid("2ef07b23-d62f-4a3b-8b4b-0b45bc555fe3") },
                    { "members.manage", new Guid("2ef07b23-d62f-4a3b-8b4b-0b45bc555fe3") },
                    { "members.read", new Guid("2ef07b23-d62f-4a3b-8b4b-0b45bc555fe3") },
                    { "project.create", new Guid("2ef07b23-d62f-4a3b-8b4b-0b45bc555fe3") },
                    { "project.delete", new Guid("2ef07b23-d62f-4a3b-8b4b-0b45bc555fe3") },
                    { "project.read", new Guid("2ef07b23-d62f-4a3b-8b4b-0b45bc555fe3") },
                    { "project.write", new Guid("2ef07b23-d62f-4a3b-8b4b-0b45bc555fe3") },
                    { "company.read", new Guid("30500684-5dbf-42e4-b4e3-feb63831b6ec") },
                    { "members.manage", new Guid("30500684-5dbf-42e4-b4e3-feb63831b6ec") },
                    { "members.read", new Guid("30500684-5dbf-42e4-b4e3-feb63831b6ec") },
                    { "project.create", new Guid("30500684-5dbf-42e4-b4e3-feb63831b6ec") },
                    { "project.delete", new Guid("30500684-5dbf-42e4-b4e3-feb63831b6ec") },
                    { "project.read", new Guid("30500684-5dbf-42e4-b4e3-feb63831b6ec") },
                    { "project.write", new Guid("30500684-5dbf-42e4-b4e3-feb63831b6ec") },
                    { "members.manage", new Guid("5b16d94a-e14b-472f-9d68-52aa1a6f4935") },
                    { "members.read", new Guid("5b16d94a-e14b-472f-9d68-52aa1a6f4935") },
                    { "project.delete", new Guid("5b16d94a-e14b-472f-9d68-52aa1a6f4935") },
                    { "project.read", new Guid("5b16d94a-e14b-472f-9d68-52aa1a6f4935") },
                    { "project.write", new Guid("5b16d94a-e14b-472f-9d68-52aa1a6f4935") },
                    { "platform.manage", new Guid("5fdcf03a-b7e5-410d-b7d2-ade23f87e81b") },
                    { "company.read", new Guid("6bfdde27-6fda-48c7-a64b-719125603010") },
                    { "company.read", new Guid("73b130ba-9f65-45f2-ae5d-cf3d0d08ab30") },
                    { "members.read", new Guid("73b130ba-9f65-45f2-ae5d-cf3d0d08ab30") },
                    { "project.create", new Guid("73b130ba-9f65-45f2-ae5d-cf3d0d08ab30") },
                    { "members.read", new Guid("77655100-1cfa-46df-a395-ba1d0de83c72") },
                    { "project.read", new Guid("77655100-1cfa-46df-a395-ba1d0de83c72") }
                });

            migrationBuilder.CreateIndex(
                name: "IX_company_memberships_CompanyId",
                table: "company_memberships",
                column: "CompanyId");

            migrationBuilder.CreateIndex(
                name: "IX_company_memberships_RoleId",
                table: "company_memberships",
                column: "RoleId");

            migrationBuilder.CreateIndex(
                name: "IX_platform_role_assignments_RoleId",
                table: "platform_role_assignments",
                column: "RoleId");

            migrationBuilder.CreateIndex(
                name: "IX_project_memberships_ProjectId",
                table: "project_memberships",
                column: "ProjectId");

            migrationBuilder.CreateIndex(
                name: "IX_project_memberships_ProjectId_CompanyId",
                table: "project_memberships",
                columns: new[] { "ProjectId", "CompanyId" });

            migrationBuilder.CreateIndex(
                name: "IX_project_memberships_RoleId",
                table: "project_memberships",
                column: "RoleId");

            migrationBuilder.CreateIndex(
                name: "IX_project_memberships_UserId_CompanyId",
                table: "project_memberships",
                columns: new[] { "UserId", "CompanyId" });

            migrationBuilder.CreateIndex(
                name: "IX_projects_CompanyId",
                table: "projects",
                column: "CompanyId");

            migrationBuilder.CreateIndex(
                name: "IX_role_permissions_PermissionName",
                table: "role_permissions",
                column: "PermissionName");

            migrationBuilder.CreateIndex(
                name: "IX_roles_Scope_Name",
                table: "roles",
                columns: new[] { "Scope", "Name" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "platform_role_assignments");

            migrationBuilder.DropTable(
                name: "project_memberships");

            migrationBuilder.DropTable(
                name: "role_permissions");

            migrationBuilder.DropTable(
                name: "company_memberships");

            migrationBuilder.DropTable(
                name: "projects");

            migrationBuilder.DropTable(
                name: "permissions");

            migrationBuilder.DropTable(
                name: "roles");

            migrationBuilder.DropTable(
                name: "companies");
        }
    }
}
