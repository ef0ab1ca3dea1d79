namespace Ruum.Identity.SampleApi;

internal static class Program
{
    public static async Task Main(string[] args) => await SampleApiHost.Build(args).RunAsync();
}
