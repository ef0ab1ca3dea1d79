using Ruum.Identity.Features.Account;
using Ruum.Identity.Features.Admin;
using Ruum.Identity.Features.AdminConsole;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Cors;
using Ruum.Identity.Features.Language;
using Ruum.Identity.Features.Lockout;
using Ruum.Identity.Features.Notifications;
using Ruum.Identity.Features.Login;
using Ruum.Identity.Features.Otp;
using Ruum.Identity.Features.Recovery;
using Ruum.Identity.Features.SecurityTxt;
using Ruum.Identity.Features.Seed;
using Ruum.Identity.Features.Sessions;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Features.Tokens;
using Ruum.Identity.Features.TrustedDevices;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Infrastructure.Database;
using Ruum.Identity.Infrastructure.DataProtection;
using Ruum.Identity.Infrastructure.Email;
using Ruum.Identity.Infrastructure.Hosting;
using Ruum.Identity.Infrastructure.Monitoring;

var builder = WebApplication.CreateBuilder(args);

builder.AddRuumMonitoring();
builder.AddRuumHosting();
builder.AddRuumLanguage();
builder.AddRuumDatabase();
builder.AddRuumKeyProtection();
builder.AddRuumUsers();
builder.AddRuumSession();
builder.AddRuumSessions();
builder.AddRuumEmail();
builder.AddRuumNotifications();
builder.AddRuumAudit();
builder.AddRuumLockout();
builder.AddRuumOtp();
builder.AddRuumTrustedDevices();
builder.AddRuumRecovery();
builder.AddRuumAccount();
builder.AddRuumTokens();
builder.AddRuumCors();
builder.AddRuumTenancy();
builder.AddRuumAdmin();
builder.AddRuumAdminConsole();
builder.AddRuumSeed();
builder.AddRuumSecurityTxt();
builder.AddRuumProductionChecks();
builder.LoadKeyRingAfterStart(); // last: the calls above may register Data Protection's start-up load

var app = builder.Build();

app.UseRuumHosting();
app.UseRuumLanguage();
app.UseRuumCors(); // before everything that answers protocol requests itself
app.UseRuumRequestRateLimits();
app.UseRuumClientCredentialsFastPath();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();
app.MapRuumConnectEndpoints();
app.MapRazorPages();
app.MapRuumLanguage();
app.MapRuumHealth();
app.MapSecurityTxt();
app.MapRuumAdmin();

return await app.RunRuumAsync(args);

public partial class Program;
