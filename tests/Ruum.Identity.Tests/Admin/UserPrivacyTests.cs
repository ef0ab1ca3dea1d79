using System.Net;
using Microsoft.EntityFrameworkCore;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Features.TrustedDevices;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Admin;

/// <summary>GDPR: export everything about a person; erase them, keeping the audit log (and its hash chain) intact.</summary>
public sealed class UserPrivacyTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private readonly RuumServer _server = fixture.Server;

    private async Task<HttpClient> AdminAsync() => _server.AdminHttp(await _server.AutomationTokenAsync());

    private async Task<Ruum.Identity.Features.Users.User> PersonAsync()
    {
        var company = await _server.CreateCompanyAsync();
        var user = await _server.CreateCompanyUserAsync(company, RoleCatalogue.CompanyMember);
        await _server.WithDatabaseAsync(async db =>
        {
            var now = _server.Clock.GetUtcNow();
            db.Add(new TrustedDevice { UserId = user.Id, TokenHash = Guid.NewGuid().ToString("N"), FingerprintHash = "f", Label = "Firefox on Linux",
                CreatedAt = now, LastUsedAt = now, ExpiresAt = now.AddDays(30) });
            await db.SaveChangesAsync();
        });
        // An audit event about them: an admin change, whose target is their id.
        Assert.Equal(HttpStatusCode.OK, (await (await AdminAsync()).PostAsync($"api/admin/users/{user.Id}/unlock", null)).StatusCode);
        return user;
    }

    [Fact]
    public async Task Export_Person_OneDocumentWithProfileMembershipsDevicesAndAuditEvents()
    {
        var user = await PersonAsync();

        var response = await (await AdminAsync()).GetAsync($"api/admin/users/{user.Id}/export");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await response.JsonAsync();
        Assert.Equal(user.Email, document.GetProperty("profile").GetProperty("email").GetString());
        Assert.Equal("member", document.GetProperty("companies").EnumerateArray().Single().GetProperty("role").GetString());
        Assert.Equal("Firefox on Linux", document.GetProperty("trustedDevices").EnumerateArray().Single().GetProperty("label").GetString());
        Assert.Contains(document.GetProperty("auditEvents").EnumerateArray(), e => e.GetProperty("type").GetString() == AuditEventTypes.AdminUserUnlocked);
        Assert.True(document.TryGetProperty("consentsAndAuthorizations", out _));
    }

    [Fact]
    public async Task Erase_Person_PersonalDataGoneAuditRowsKeptUnderTheIdAndChainStillVerifies()
    {
        var user = await PersonAsync();
        var eventsBefore = await _server.WithDatabaseAsync(db => db.Set<AuditEvent>().CountAsync(e => e.Details!.Contains(user.Id.ToString())));

        var response = await (await AdminAsync()).DeleteAsync($"api/admin/users/{user.Id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.False(await _server.WithDatabaseAsync(db => db.Set<Ruum.Identity.Features.Users.User>().AnyAsync(u => u.Id == user.Id)));
        Assert.False(await _server.WithDatabaseAsync(db => db.Set<CompanyMembership>().AnyAsync(m => m.UserId == user.Id)));
        Assert.False(await _server.WithDatabaseAsync(db => db.Set<TrustedDevice>().AnyAsync(d => d.UserId == user.Id)));
        var events = await _server.WithDatabaseAsync(db => db.Set<AuditEvent>().Where(e => e.Details!.Contains(user.Id.ToString())).ToListAsync());
        Assert.Equal(eventsBefore + 1, events.Count);
        Assert.Contains(events, e => e.Type == AuditEventTypes.AdminUserErased);
        Assert.DoesNotContain(events, e => e.Details!.Contains(user.Email, StringComparison.OrdinalIgnoreCase));
        using var output = new StringWriter();
        Assert.Equal(0, await Ruum.Identity.Features.Audit.AuditVerifyCommand.RunAsync(_server.Services, output));
    }

    [Fact]
    public async Task Erase_Twice_404AndNoSecondErasureEvent()
    {
        var user = await PersonAsync();
        var admin = await AdminAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"api/admin/users/{user.Id}")).StatusCode);

        var again = await admin.DeleteAsync($"api/admin/users/{user.Id}");

        await again.ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(1, await _server.WithDatabaseAsync(db =>
            db.Set<AuditEvent>().CountAsync(e => e.Type == AuditEventTypes.AdminUserErased && e.Details!.Contains(user.Id.ToString()))));
    }

    [Fact]
    public async Task Erase_StaleIfMatch_412AndNothingErased()
    {
        var user = await PersonAsync();

        var response = await (await AdminAsync()).SendAsync(HttpMethod.Delete, $"api/admin/users/{user.Id}", "\"stale\"");

        await response.ProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.True(await _server.WithDatabaseAsync(db => db.Set<Ruum.Identity.Features.Users.User>().AnyAsync(u => u.Id == user.Id)));
    }
}
