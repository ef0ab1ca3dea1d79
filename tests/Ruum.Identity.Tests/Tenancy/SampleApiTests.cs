using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using Ruum.Identity.Features.Seed;
using Ruum.Identity.Tests.Infrastructure;
using Ruum.Identity.Validation;

namespace Ruum.Identity.Tests.Tenancy;

/// <summary>The 200/403/404 matrix of the sample API, with real tokens of the seeded users, over real HTTP.</summary>
public sealed class SampleApiTests(TenancyFixture fixture) : IClassFixture<TenancyFixture>
{
    private readonly SampleApiServer _api = fixture.Api;

    [Theory]
    [InlineData(null)]
    [InlineData("valid")]
    [InlineData("garbage.token.value")]
    public async Task Health_AnyCaller_Is204WithoutBody(string? token)
    {
        var bearer = token == "valid" ? await fixture.AccessTokenForAsync(DevelopmentSeed.MemberEmail) : token;

        var response = await _api.Client(bearer).GetAsync("health");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task ListMyProjects_Owner_ReturnsBothAcmeProjectsWithRoles()
    {
        var api = _api.Client(await fixture.AccessTokenForAsync(DevelopmentSeed.OwnerEmail));

        var projects = await (await api.GetAsync("projects")).JsonAsync();

        var listed = projects.EnumerateArray().Select(p => (p.GetProperty("id").GetString(), p.GetProperty("role").GetString())).ToHashSet();
        Assert.Equal([(fixture.TorreNorte, "manager"), (fixture.ResidencialSur, "manager")], listed);
    }

    [Fact]
    public async Task ReadAndMembers_MemberAsViewer_Succeed()
    {
        var api = _api.Client(await fixture.AccessTokenForAsync(DevelopmentSeed.MemberEmail));

        var project = await api.GetAsync($"projects/{fixture.TorreNorte}");
        var members = await api.GetAsync($"projects/{fixture.TorreNorte}/members");

        Assert.Equal(HttpStatusCode.OK, project.StatusCode);
        Assert.Equal("viewer", (await project.JsonAsync()).GetProperty("yourRole").GetString());
        Assert.Equal(HttpStatusCode.OK, members.StatusCode);
        Assert.Equal(2, (await members.JsonAsync()).GetArrayLength());
    }

    [Fact]
    public async Task Update_MemberAsEditor_ChangesTheProject()
    {
        var api = _api.Client(await fixture.AccessTokenForAsync(DevelopmentSeed.MemberEmail));

        var response = await api.PutAsJsonAsync($"projects/{fixture.ResidencialSur}", new { name = "Residencial Sur (fase 2)" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Residencial Sur (fase 2)", _api.Store.Find(fixture.ResidencialSur)!.Name);
        fixture.ResetApiData();
    }

    [Fact]
    public async Task Update_MemberAsViewer_Is403ProblemAndChangesNothing()
    {
        var api = _api.Client(await fixture.AccessTokenForAsync(DevelopmentSeed.MemberEmail));

        var response = await api.PutAsJsonAsync($"projects/{fixture.TorreNorte}", new { name = "Hijacked" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(403, (await response.JsonAsync()).GetProperty("status").GetInt32());
        Assert.Equal("Torre Norte", _api.Store.Find(fixture.TorreNorte)!.Name);
    }

    [Fact]
    public async Task ReadAndUpdate_ProjectOfAnotherCompany_Is403AndChangesNothing()
    {
        var api = _api.Client(await fixture.AccessTokenForAsync(DevelopmentSeed.OwnerEmail));

        var read = await api.GetAsync($"projects/{fixture.BetaProject}");
        var update = await api.PutAsJsonAsync($"projects/{fixture.BetaProject}", new { name = "Hijacked" });
        var members = await api.GetAsync($"projects/{fixture.BetaProject}/members");

        Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, update.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, members.StatusCode);
        Assert.Equal("Nave Industrial Este", _api.Store.Find(fixture.BetaProject)!.Name);
    }

    [Fact]
    public async Task Read_UnknownProjectId_Is403LikeAnyProjectNotYours()
    {
        var api = _api.Client(await fixture.AccessTokenForAsync(DevelopmentSeed.OwnerEmail));

        var response = await api.GetAsync("projects/doesNotExist");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Members_MissingProjectId_Is404()
    {
        var api = _api.Client(await fixture.AccessTokenForAsync(DevelopmentSeed.OwnerEmail));

        var response = await api.GetAsync("projects//members");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Update_EmptyName_Is400ValidationProblem()
    {
        var api = _api.Client(await fixture.AccessTokenForAsync(DevelopmentSeed.OwnerEmail));

        var response = await api.PutAsJsonAsync($"projects/{fixture.TorreNorte}", new { name = " " });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Torre Norte", _api.Store.Find(fixture.TorreNorte)!.Name);
    }

    [Fact]
    public async Task AnyProjectsEndpoint_ClientCredentialsToken_Is403SayingItNamesNoUserAndChangesNothing()
    {
        var api = _api.Client((await fixture.Server.ClientCredentialsAsync()).GetProperty("access_token").GetString()!);

        var responses = new[]
        {
            await api.GetAsync("projects"),
            await api.GetAsync($"projects/{fixture.TorreNorte}"),
            await api.PutAsJsonAsync($"projects/{fixture.TorreNorte}", new { name = "Hijacked" }),
        };

        foreach (var response in responses)
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("names no user", (await response.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        Assert.Equal("Torre Norte", _api.Store.Find(fixture.TorreNorte)!.Name);
    }

    [Fact]
    public async Task RuumUser_OfAClientCredentialsToken_IsNoUser_AndOfAUsersTokenIsTheUser()
    {
        var client = Principal((await fixture.Server.ClientCredentialsAsync()).GetProperty("access_token").GetString()!);
        var user = Principal(await fixture.AccessTokenForAsync(DevelopmentSeed.MemberEmail));

        Assert.True(RuumUser.IsClient(client));
        Assert.Null(RuumUser.From(client));
        Assert.False(RuumUser.IsClient(user));
        Assert.True(Guid.TryParse(RuumUser.From(user)!.Id, out _));
    }

    /// <summary>The token's claims as the validation stack hands them to the API (string values are enough here).</summary>
    private static ClaimsPrincipal Principal(string token) => new(new ClaimsIdentity(
        Jwt.Payload(token).EnumerateObject().Where(claim => claim.Value.ValueKind == System.Text.Json.JsonValueKind.String)
            .Select(claim => new Claim(claim.Name, claim.Value.GetString()!)), "Bearer"));

    [Fact]
    public async Task ListMyProjects_NoToken_Is401WithBearerChallenge()
    {
        var response = await _api.Client().GetAsync("projects");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }
}
