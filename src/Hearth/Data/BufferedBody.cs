using System.Buffers;

namespace Hearth.Data;

/// <summary>
/// A response body copied out of PostgreSQL before it is sent. Streaming straight from the reader to the
/// client let a client that stops reading stall PostgreSQL in ClientWrite and hold a pooled connection
/// for as long as it liked (a few such clients could take the whole pool). Now the connection goes back
/// to the pool first and only this buffer waits for the client. Up to <see cref="MemoryThreshold"/>
/// stays in one pooled array (sent in one write); a larger body spills to a temporary file in $TMPDIR,
/// unlinked as soon as it is created so that not even a crash leaves it behind.
/// </summary>
public sealed class BufferedBody : IAsyncDisposable
{
    /// <summary>
    /// Bodies up to this size never touch the disk. It bounds the memory a slow client can pin (besides
    /// Kestrel's own 64 KiB response buffer); typical reads are a few KiB.
    /// </summary>
    public const int MemoryThreshold = 256 * 1024;

    private const int FirstBuffer = 4 * 1024;
    private const int FileCopyBuffer = 64 * 1024;

    private byte[] _memory = ArrayPool<byte>.Shared.Rent(FirstBuffer);
    private int _inMemory;
    private FileStream? _file;

    private BufferedBody() { }

    public long Length => _file?.Length ?? _inMemory;

    /// <summary>A body Hearth made itself (EXPLAIN output).</summary>
    public static BufferedBody FromText(string text)
    {
        var body = new BufferedBody();
        var bytes = System.Text.Encoding.UTF8.GetByteCount(text);
        if (bytes > body._memory.Length)
        {
            ArrayPool<byte>.Shared.Return(body._memory);
            body._memory = ArrayPool<byte>.Shared.Rent(bytes);
        }
        body._inMemory = System.Text.Encoding.UTF8.GetBytes(text, body._memory);
        return body;
    }

    /// <summary>Copies <paramref name="source"/> (a column stream of the open reader) to its end.</summary>
    public static async ValueTask<BufferedBody> CopyAsync(Stream source, CancellationToken ct)
    {
        var body = new BufferedBody();
        try
        {
            await body.FillAsync(source, ct);
            return body;
        }
        catch
        {
            await body.DisposeAsync();
            throw;
        }
    }

    private async Task FillAsync(Stream source, CancellationToken ct)
    {
        while (true)
        {
            if (_inMemory == _memory.Length)
            {
                if (_memory.Length >= MemoryThreshold)
                {
                    await SpillAsync(source, ct);
                    return;
                }
                Grow();
            }
            var read = await source.ReadAsync(_memory.AsMemory(_inMemory), ct);
            if (read == 0) return;
            _inMemory += read;
        }
    }

    private void Grow()
    {
        var larger = ArrayPool<byte>.Shared.Rent(Math.Min(_memory.Length * 2, MemoryThreshold));
        _memory.AsSpan(0, _inMemory).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_memory);
        _memory = larger;
    }

    /// <summary>The memory part goes first into the file, then the rest of the source.</summary>
    private async Task SpillAsync(Stream source, CancellationToken ct)
    {
        _file = CreateTempFile();
        await _file.WriteAsync(_memory.AsMemory(0, _inMemory), ct);
        // The array goes back to the pool now: a slow client then pins only the file.
        ArrayPool<byte>.Shared.Return(Interlocked.Exchange(ref _memory, []));
        _inMemory = 0;
        await source.CopyToAsync(_file, FileCopyBuffer, ct);
        _file.Position = 0;
    }

    private static FileStream CreateTempFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"hearth-body-{Guid.NewGuid():N}.tmp");
        // Windows cannot unlink an open file; DeleteOnClose removes it there.
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 0,
            OperatingSystem.IsWindows() ? FileOptions.DeleteOnClose : FileOptions.None);
        if (!OperatingSystem.IsWindows()) File.Delete(path);
        return file;
    }

    /// <summary>Writes the body to <paramref name="destination"/> (the response, once the database connection is released).</summary>
    public async Task CopyToAsync(Stream destination, CancellationToken ct)
    {
        if (_file is null) await destination.WriteAsync(_memory.AsMemory(0, _inMemory), ct);
        else await _file.CopyToAsync(destination, FileCopyBuffer, ct);
    }

    public async ValueTask DisposeAsync()
    {
        var memory = Interlocked.Exchange(ref _memory, []);
        if (memory.Length > 0) ArrayPool<byte>.Shared.Return(memory);
        if (_file is not null) await _file.DisposeAsync();
    }
}
