using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Ruum.Identity.Tests.Hosting;

/// <summary>A stand-in Sentry on a loopback port: keeps every envelope body the SDK posts to it.</summary>
public sealed class SentryListener : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly TaskCompletionSource _eventReceived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SentryListener()
    {
        var port = FreePort();
        Dsn = $"http://public-key@127.0.0.1:{port}/1";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _ = Task.Run(ReceiveAsync);
    }

    public string Dsn { get; }

    public ConcurrentQueue<string> Envelopes { get; } = new();

    /// <summary>Waits for an error event; the bound only stops a broken test from hanging, it measures nothing.</summary>
    public async Task<string> WaitForEventAsync()
    {
        await _eventReceived.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return string.Join("\n", Envelopes);
    }

    public void Dispose() => _listener.Close();

    private async Task ReceiveAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            Stream body = context.Request.InputStream;
            if (string.Equals(context.Request.Headers["Content-Encoding"], "gzip", StringComparison.OrdinalIgnoreCase))
            {
                body = new GZipStream(body, CompressionMode.Decompress);
            }
            using (var reader = new StreamReader(body, Encoding.UTF8))
            {
                var envelope = await reader.ReadToEndAsync();
                Envelopes.Enqueue(envelope);
                if (envelope.Contains("\"type\":\"event\"", StringComparison.Ordinal))
                {
                    _eventReceived.TrySetResult();
                }
            }
            context.Response.StatusCode = 200;
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
