using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Ruum.Identity.Infrastructure.Hosting;

namespace Ruum.Identity.Tests.Hosting;

/// <summary>
/// The cases a socket cannot produce reliably: which exception a cut-short body or a reset raises depends on a race with
/// Kestrel's abort signal. UnreadableRequestTests sends the limits' cases over real HTTP.
/// </summary>
public sealed class UnreadableRequestHandlerTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddOptions().AddProblemDetails().BuildServiceProvider();
    private readonly DefaultHttpContext _context;
    private readonly UnreadableRequestHandler _handler;

    public UnreadableRequestHandlerTests()
    {
        _context = new DefaultHttpContext { RequestServices = _services };
        _context.Request.Headers.Accept = "application/json";
        _context.Response.Body = new MemoryStream();
        _handler = new UnreadableRequestHandler(_services.GetRequiredService<IProblemDetailsService>(), NullLogger<UnreadableRequestHandler>.Instance);
    }

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task BodyCutShort_Gets400Problem()
    {
        var handled = await _handler.TryHandleAsync(_context, new BadHttpRequestException("Unexpected end of request content."), CancellationToken.None);

        Assert.True(handled);
        Assert.Equal(StatusCodes.Status400BadRequest, _context.Response.StatusCode);
        Assert.Contains("Malformed request body", Encoding.UTF8.GetString(((MemoryStream)_context.Response.Body).ToArray()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectionReset_IsHandledWithoutAnAnswer()
    {
        var handled = await _handler.TryHandleAsync(_context, new ConnectionResetException("Connection reset by peer"), CancellationToken.None);

        Assert.True(handled);
        Assert.Equal(StatusCodes.Status400BadRequest, _context.Response.StatusCode);
        Assert.Equal(0, _context.Response.Body.Length);
    }

    [Fact]
    public async Task OtherException_IsLeftToTheDefaultHandling()
    {
        Assert.False(await _handler.TryHandleAsync(_context, new InvalidDataException("not from a form reader"), CancellationToken.None));
        Assert.False(await _handler.TryHandleAsync(_context, new InvalidOperationException(), CancellationToken.None));
    }
}
