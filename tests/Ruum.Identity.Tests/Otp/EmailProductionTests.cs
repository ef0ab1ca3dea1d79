using Ruum.Identity.Tests.Hosting;

namespace Ruum.Identity.Tests.Otp;

public sealed class EmailProductionTests
{
    [Theory]
    [InlineData("mailpit")]
    [InlineData("127.0.0.1")]
    public async Task Start_InProductionWithPlainSmtpToAMailCatcherOnThisHost_Starts(string host)
    {
        await using var server = await ProductionServer.StartAsync(new Dictionary<string, string?>
        {
            ["Ruum:Email:SmtpHost"] = host,
            ["Ruum:Email:SmtpTls"] = "None",
        });

        Assert.NotNull(server.BaseAddress);
    }
}
