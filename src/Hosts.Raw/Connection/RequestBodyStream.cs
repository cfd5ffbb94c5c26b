using System.Buffers;
using System.IO.Pipelines;
using HostKit.Hosts.Raw.Http;

namespace HostKit.Hosts.Raw.Connection;

/// <summary>
/// The request body as the application reads it (<see cref="Environ.Body"/>): exactly
/// Content-Length bytes, or the de-chunked payload, from the connection's input pipe.
/// Sends <c>100 Continue</c> on the first read when the client asked for it.
/// </summary>
internal sealed class RequestBodyStream(PipeReader input, Func<ValueTask> sendContinue, HttpLimits limits) : Stream
{
    /// <summary>How much unread body the server reads and discards to keep the connection; more than this closes it.</summary>
    private const long MaxDrainBytes = 1024 * 1024;

    private long _remaining;
    private bool _chunked;
    private ChunkedDecoder _decoder;
    private bool _expectContinue;

    /// <summary>True once the whole body has been read.</summary>
    public bool IsComplete { get; private set; } = true;

    /// <summary>True when the client waits for 100 Continue that was never sent (the app did not read the body).</summary>
    public bool ContinueWithheld => _expectContinue;

    public void Reset(RequestHead head)
    {
        _chunked = head.IsChunked;
        _remaining = head.ContentLength ?? 0;
        _decoder = new ChunkedDecoder(limits.MaxRequestBodyBytes ?? long.MaxValue);
        IsComplete = !head.HasBody;
        _expectContinue = head.ExpectContinue && head.HasBody;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        if (IsComplete || destination.IsEmpty)
            return 0;
        if (_expectContinue)
        {
            _expectContinue = false;
            await sendContinue();
        }
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var read = _chunked ? ReadChunked(buffer, destination.Span, result.IsCompleted) : ReadFixed(buffer, destination.Span, result.IsCompleted);
            if (read != 0 || IsComplete)
                return read;
        }
    }

    /// <summary>Reads and discards what the application left unread, so the next request can be parsed. False when the connection should close instead.</summary>
    public async ValueTask<bool> DrainAsync(CancellationToken cancellationToken)
    {
        if (IsComplete)
            return true;
        if (_expectContinue || (!_chunked && _remaining > MaxDrainBytes))
            return false;
        var scratch = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            long drained = 0;
            while (!IsComplete)
            {
                drained += await ReadAsync(scratch, cancellationToken);
                if (drained > MaxDrainBytes)
                    return false;
            }
            return true;
        }
        catch (BadRequestException)
        {
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private int ReadFixed(ReadOnlySequence<byte> buffer, Span<byte> destination, bool inputEnded)
    {
        if (buffer.IsEmpty && inputEnded)
            throw new BadRequestException(HttpError.BadRequest("the request body ended before Content-Length bytes"));
        var count = (int)Math.Min(Math.Min(buffer.Length, _remaining), destination.Length);
        buffer.Slice(0, count).CopyTo(destination);
        input.AdvanceTo(buffer.GetPosition(count));
        _remaining -= count;
        IsComplete = _remaining == 0;
        return count;
    }

    private int ReadChunked(ReadOnlySequence<byte> buffer, Span<byte> destination, bool inputEnded)
    {
        var reader = new SequenceReader<byte>(buffer);
        switch (_decoder.Read(ref reader, out var available, out var error))
        {
            case ChunkStatus.Data:
                var count = (int)Math.Min(available, destination.Length);
                reader.UnreadSequence.Slice(0, count).CopyTo(destination);
                reader.Advance(count);
                _decoder.Consume(count);
                input.AdvanceTo(reader.Position);
                return count;
            case ChunkStatus.Done:
                input.AdvanceTo(reader.Position);
                IsComplete = true;
                return 0;
            case ChunkStatus.NeedMore:
                if (inputEnded)
                    throw new BadRequestException(HttpError.BadRequest("the chunked request body ended early"));
                input.AdvanceTo(reader.Position, buffer.End);
                return 0;
            default:
                input.AdvanceTo(reader.Position);
                throw new BadRequestException(error);
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
