using Ruum.Identity.Tests.Sessions;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Lockout;
using Ruum.Identity.Features.Otp;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Features.TrustedDevices;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Tests.Infrastructure;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Ruum.Identity.Tests.Admin;

/// <summary><c>/api/admin/users</c> as a platform admin (the automation client) sees it.</summary>
public sealed class UsersApiTests(RuumServerFixture fixture) : IClassFixture<RuumServerFixture>
{
    private readonly RuumServer _server = fixture.Server;

    private async Task<HttpClient> AdminAsync() => _server.AdminHttp(await _server.AutomationTokenAsync());

    internal static Task<User> StoredAsync(RuumServer server, Guid id) =>
        server.WithDatabaseAsync(db => db.Set<User>().AsNoTracking().SingleAsync(u => u.Id == id));

    internal static Task<List<AuditEvent>> AdminEventsAboutAsync(RuumServer server, Guid id) =>
        server.WithDatabaseAsync(db => db.Set<AuditEvent>().AsNoTracking()
            .Where(e => e.Type.StartsWith("admin.user.") && e.Details!.Contains(id.ToString())).ToListAsync());

    [Fact]
    public async Task Search_ByNameWithCursor_PagesThroughEveryMatchOnce()
    {
        var tag = "Searchable" + Guid.NewGuid().ToString("N")[..8];
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            var user = await _server.CreateUserAsync();
            await _server.WithDatabaseAsync(db => db.Set<User>().Where(u => u.Id == user.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.DisplayName, tag + " " + i)));
            ids.Add(user.Id);
        }
        var admin = await AdminAsync();

        var first = await (await admin.GetAsync($"api/admin/users?q={tag.ToLowerInvariant()}&limit=2")).JsonAsync();
        var cursor = first.GetProperty("nextCursor").GetString();
        var second = await (await admin.GetAsync($"api/admin/users?q={tag}&limit=2&cursor={cursor}")).JsonAsync();

        var found = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray())
            .Select(u => u.GetProperty("id").GetGuid()).ToList();
        Assert.Equal(2, first.GetProperty("items").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);
        Assert.Equal(ids.Order(), found.Order());
    }

    [Fact]
    public async Task Search_ByEmailInAnotherCase_FindsTheUser()
    {
        var user = await _server.CreateUserAsync();

        var page = await (await (await AdminAsync()).GetAsync($"api/admin/users?q={Uri.EscapeDataString(user.Email.ToUpperInvariant())}")).JsonAsync();

        Assert.Equal([user.Id], page.GetProperty("items").EnumerateArray().Select(u => u.GetProperty("id").GetGuid()));
    }

    [Fact]
    public async Task Search_LimitOfAMillion_400NamingLimit()
    {
        var response = await (await AdminAsync()).GetAsync("api/admin/users?limit=1000000");

        Assert.True((await response.FieldErrorsAsync()).TryGetProperty("limit", out _));
    }

    [Fact]
    public async Task Get_UserWithMembershipsDeviceAndAuthenticator_ShowsThemWithETag()
    {
        var company = await _server.CreateCompanyAsync();
        var user = await _server.CreateCompanyUserAsync(company, RoleCatalogue.CompanyMember);
        await AddDeviceAsync(user.Id);
        await _server.WithServicesAsync(s => s.GetRequiredService<Authenticators>().SaveAsync(user.Id, "JBSWY3DPEHPK3PXP", confirmed: true, default));

        var response = await (await AdminAsync()).GetAsync($"api/admin/users/{user.Id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(response.Headers.ETag);
        var view = await response.JsonAsync();
        Assert.Equal(user.Email, view.GetProperty("email").GetString());
        var membership = view.GetProperty("companies").EnumerateArray().Single();
        Assert.Equal(company, membership.GetProperty("companyId").GetGuid());
        Assert.Equal("member", membership.GetProperty("role").GetString());
        Assert.True(view.GetProperty("secondFactor").GetProperty("authenticator").GetBoolean());
        Assert.Equal("Chrome on Windows", view.GetProperty("trustedDevices").EnumerateArray().Single().GetProperty("label").GetString());
        Assert.Equal(JsonValueKind.Array, view.GetProperty("sessions").ValueKind);
    }

    [Fact]
    public async Task Get_MissingId_404Problem()
    {
        await (await (await AdminAsync()).GetAsync($"api/admin/users/{Guid.NewGuid()}")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task UpdateName_WithScriptTag_StoredAsTextAndAuditedWithoutTheValue()
    {
        var user = await _server.CreateUserAsync();
        const string name = "<script>alert(1)</script> Ana";

        var response = await (await AdminAsync()).SendJsonAsync(HttpMethod.Patch, $"api/admin/users/{user.Id}",
            JsonSerializer.Serialize(new { displayName = name }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(name, (await response.JsonAsync()).GetProperty("displayName").GetString());
        Assert.Equal(name, (await StoredAsync(_server, user.Id)).DisplayName);
        var audited = Assert.Single(await AdminEventsAboutAsync(_server, user.Id), e => e.Type == AuditEventTypes.AdminUserUpdated);
        Assert.Contains("displayName", audited.Details, StringComparison.Ordinal);
        Assert.DoesNotContain("script", audited.Details, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("upper")]
    [InlineData("fullwidth")]
    public async Task UpdateEmail_DuplicateInAnotherCaseOrUnicodeForm_409AndUnchanged(string form)
    {
        var local = "dup" + Guid.NewGuid().ToString("N")[..8];
        await _server.CreateUserAsync(local + "@example.test");
        var other = await _server.CreateUserAsync();
        // Fullwidth letters (U+FF41...) are the same address after NFKC.
        var variant = form == "upper" ? (local + "@example.test").ToUpperInvariant()
            : string.Concat(local.Select(c => char.IsAsciiLetterLower(c) ? (char)(c - 'a' + 'ａ') : c)) + "@example.test";

        var response = await (await AdminAsync()).SendJsonAsync(HttpMethod.Patch, $"api/admin/users/{other.Id}",
            JsonSerializer.Serialize(new { email = variant }));

        await response.ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(other.Email, (await StoredAsync(_server, other.Id)).Email);
        Assert.Empty(await AdminEventsAboutAsync(_server, other.Id));
    }

    [Fact]
    public async Task UpdateName_StaleIfMatch_412AndUnchanged()
    {
        var user = await _server.CreateUserAsync();
        var admin = await AdminAsync();
        var etag = (await admin.GetAsync($"api/admin/users/{user.Id}")).Headers.ETag!.Tag;
        Assert.Equal(HttpStatusCode.OK, (await admin.SendJsonAsync(HttpMethod.Patch, $"api/admin/users/{user.Id}",
            JsonSerializer.Serialize(new { displayName = "First change" }), etag)).StatusCode);

        var response = await admin.SendJsonAsync(HttpMethod.Patch, $"api/admin/users/{user.Id}",
            JsonSerializer.Serialize(new { displayName = "Second change" }), etag);

        await response.ProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal("First change", (await StoredAsync(_server, user.Id)).DisplayName);
    }

    [Fact]
    public async Task Update_UnknownField_400AndUnchanged()
    {
        var user = await _server.CreateUserAsync();

        var response = await (await AdminAsync()).SendJsonAsync(HttpMethod.Patch, $"api/admin/users/{user.Id}", """{"displayName":"X","isAdmin":true}""");

        Assert.True((await response.FieldErrorsAsync()).TryGetProperty("isAdmin", out _));
        Assert.Equal(user.DisplayName, (await StoredAsync(_server, user.Id)).DisplayName);
    }

    [Fact]
    public async Task Disable_UserWithTokenAndDevice_RevokesTheirAccessTokenAuthorizationsAndDevicesThenEnableRestoresSignIn()
    {
        var console = await _server.CreateConsoleClientAsync();
        var user = await _server.CreatePlatformAdminAsync();
        var token = await _server.UserTokenAsync(console, user.Email);
        await AddDeviceAsync(user.Id);
        var stamp = (await StoredAsync(_server, user.Id)).SecurityStamp;
        var admin = await AdminAsync();
        Assert.NotEmpty(await _server.SessionsOfAsync(user.Id));
        _server.Clock.Advance(TimeSpan.FromSeconds(1));

        var response = await admin.PostAsync($"api/admin/users/{user.Id}/disable", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False((await response.JsonAsync()).GetProperty("enabled").GetBoolean());
        var stored = await StoredAsync(_server, user.Id);
        Assert.False(stored.IsEnabled);
        Assert.NotEqual(stamp, stored.SecurityStamp);
        Assert.False(await _server.WithDatabaseAsync(db => db.Set<TrustedDevice>().AnyAsync(d => d.UserId == user.Id && d.RevokedAt == null)));
        Assert.Equal(0, await ValidAuthorizationsAsync(user.Id));
        Assert.Empty(await _server.SessionsOfAsync(user.Id));
        await _server.WithDatabaseAsync(db => db.Set<User>().Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsEnabled, true)));
        Assert.Equal(HttpStatusCode.Unauthorized, (await _server.AdminHttp(token).GetAsync("api/admin/users")).StatusCode); // the cutoff, not the flag
        await _server.WithDatabaseAsync(db => db.Set<User>().Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsEnabled, false)));
        Assert.Contains(await AdminEventsAboutAsync(_server, user.Id), e => e.Type == AuditEventTypes.AdminUserDisabled);

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"api/admin/users/{user.Id}/enable", null)).StatusCode);
        Assert.True((await StoredAsync(_server, user.Id)).IsEnabled);
    }

    [Fact]
    public async Task Unlock_LockedUser_ClearsBothLocks()
    {
        var user = await _server.CreateUserAsync();
        var until = _server.Clock.GetUtcNow().AddHours(1);
        await _server.WithDatabaseAsync(async db =>
        {
            db.Add(new AccountLockout { UserId = user.Id, FailedPasswords = 3, PasswordLockedUntil = until, SecondFactorLockedUntil = until });
            await db.SaveChangesAsync();
        });

        var response = await (await AdminAsync()).PostAsync($"api/admin/users/{user.Id}/unlock", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var row = await _server.WithDatabaseAsync(db => db.Set<AccountLockout>().AsNoTracking().SingleAsync(l => l.UserId == user.Id));
        Assert.Null(row.PasswordLockedUntil);
        Assert.Null(row.SecondFactorLockedUntil);
        Assert.Equal(0, row.FailedPasswords);
        Assert.Equal(JsonValueKind.Null, (await response.JsonAsync()).GetProperty("lockout").GetProperty("passwordLockedUntil").ValueKind);
    }

    [Fact]
    public async Task ResetSecondFactor_UserWithAuthenticator_RemovesItAndItsRecoveryCodesAndChangesTheStamp()
    {
        var user = await _server.CreateUserAsync();
        await _server.WithServicesAsync(async s =>
        {
            await s.GetRequiredService<Authenticators>().SaveAsync(user.Id, "JBSWY3DPEHPK3PXP", confirmed: true, default);
            await s.GetRequiredService<RecoveryCodes>().IssueAsync(user.Id, default);
        });
        await AddDeviceAsync(user.Id);

        var response = await (await AdminAsync()).PostAsync($"api/admin/users/{user.Id}/second-factor/reset", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(await _server.WithDatabaseAsync(db => db.Set<Authenticator>().AnyAsync(a => a.UserId == user.Id)));
        Assert.False(await _server.WithDatabaseAsync(db => db.Set<RecoveryCode>().AnyAsync(r => r.UserId == user.Id)));
        Assert.False(await _server.WithDatabaseAsync(db => db.Set<TrustedDevice>().AnyAsync(d => d.UserId == user.Id && d.RevokedAt == null)));
        Assert.NotEqual(user.SecurityStamp, (await StoredAsync(_server, user.Id)).SecurityStamp);
        Assert.False((await response.JsonAsync()).GetProperty("secondFactor").GetProperty("authenticator").GetBoolean());
    }

    [Fact]
    public async Task RemoveDevices_TwoDevices_BothRevokedAndAMissingDeviceIs404()
    {
        var user = await _server.CreateUserAsync();
        await AddDeviceAsync(user.Id);
        await AddDeviceAsync(user.Id);
        var admin = await AdminAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"api/admin/users/{user.Id}/devices/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(2, await _server.WithDatabaseAsync(db => db.Set<TrustedDevice>().CountAsync(d => d.UserId == user.Id && d.RevokedAt == null)));
        var response = await admin.DeleteAsync($"api/admin/users/{user.Id}/devices");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, await _server.WithDatabaseAsync(db => db.Set<TrustedDevice>().CountAsync(d => d.UserId == user.Id && d.RevokedAt == null)));
    }

    [Fact]
    public async Task PlatformRole_GrantThenRevokeWhileOthersRemain_Applied()
    {
        var user = await _server.CreateUserAsync();
        var admin = await AdminAsync();

        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync($"api/admin/users/{user.Id}/platform-roles/platform_admin", null)).StatusCode);
        Assert.True(await IsPlatformAdminAsync(_server, user.Id));
        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"api/admin/users/{user.Id}/platform-roles/platform_admin")).StatusCode);
        Assert.False(await IsPlatformAdminAsync(_server, user.Id));
    }

    internal static Task<bool> IsPlatformAdminAsync(RuumServer server, Guid id) =>
        server.WithDatabaseAsync(db => db.Set<PlatformRoleAssignment>().AnyAsync(a => a.UserId == id));

    private Task<int> ValidAuthorizationsAsync(Guid userId) => _server.WithDatabaseAsync(db =>
        db.Set<OpenIddict.EntityFrameworkCore.Models.OpenIddictEntityFrameworkCoreAuthorization>()
            .CountAsync(a => a.Subject == userId.ToString() && a.Status == Statuses.Valid));

    private Task AddDeviceAsync(Guid userId) => _server.WithDatabaseAsync(async db =>
    {
        var now = _server.Clock.GetUtcNow();
        db.Add(new TrustedDevice
        {
            UserId = userId, TokenHash = Guid.NewGuid().ToString("N"), FingerprintHash = "f", Label = "Chrome on Windows",
            CreatedAt = now, LastUsedAt = now, ExpiresAt = now.AddDays(30),
        });
        await db.SaveChangesAsync();
    });
}
