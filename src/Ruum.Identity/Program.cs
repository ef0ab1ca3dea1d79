using Ruum.Identity.Features.Login;
using Ruum.Identity.Features.Seed;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Features.Tokens;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Infrastructure.Database;
using Ruum.Identity.Infrastructure.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.AddRuumHosting();
builder.AddRuumDatabase();
builder.AddRuumUsers();
builder.AddRuumSession();
builder.AddRuumTokens();
builder.AddRuumTenancy();
builder.AddRuumSeed();

var app = builder.Build();

app.UseRuumHosting();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();
app.MapRuumConnectEndpoints();
app.MapRazorPages();

return await app.RunRuumAsync(args);

public partial class Program;
