using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Hearth.Response;

/// <summary>
/// A response body copied out of PostgreSQL before it is sent. Streaming straight from the reader to the
/// client let a client that stops reading stall PostgreSQL in ClientWrite and hold a pooled connection
/// for as long as it liked (a few such clients could take the whole pool). Now the connection goes back
/// to the pool first and only this buffer waits for the client. Up to <see cref="MemoryThreshold"/>
/// stays in (pooled) memory; a larger body spills to a temporary file in $TMPDIR (ASPNETCORE_TEMP wins),
/// deleted when the response is done.
/// </summary>
public sealed class BufferedBody : IAsyncDisposable
{
    /// <summary>
    /// Bodies up to this size never touch the disk. It bounds the memory a slow client can pin (besides
    /// Kestrel's own 64 KiB response buffer); typical reads are a few KiB.
    /// </summary>
    public const int MemoryThreshold = 256 * 1024;

    private readonly FileBufferingWriteStream _buffer = new(MemoryThreshold);

    private BufferedBody() { }

    public long Length => _buffer.Length;

    /// <summary>Copies <paramref name="source"/> (a column stream of the open reader) to the end.</summary>
    public static async Task<BufferedBody> CopyAsync(Stream source, CancellationToken ct)
    {
        var body = new BufferedBody();
        try
        {
            await source.CopyToAsync(body._buffer, ct);
            return body;
        }
        catch
        {
            await body.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends the body (with its Content-Length) once the database connection is released.</summary>
    public async Task SendAsync(HttpResponse response, CancellationToken ct)
    {
        response.ContentLength ??= _buffer.Length;
        await _buffer.DrainBufferAsync(response.Body, ct);
    }

    public ValueTask DisposeAsync() => _buffer.DisposeAsync();
}
