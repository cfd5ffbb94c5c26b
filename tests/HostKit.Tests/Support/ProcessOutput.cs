using System.Collections.Concurrent;
using System.Diagnostics;

namespace HostKit.Tests.Support;

/// <summary>
/// Every line a child process writes to stdout and stderr, kept as it arrives (so the pipes never fill up), with a
/// bounded wait for a line that matches.
/// </summary>
public sealed class ProcessOutput
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly SemaphoreSlim _arrived = new(0);

    private Task _ended = Task.CompletedTask;

    private ProcessOutput()
    {
    }

    public IReadOnlyCollection<string> Lines => _lines;

    /// <summary>Completes when the process closed both its stdout and stderr (it exited): every line is in <see cref="Lines"/>.</summary>
    public Task Ended => _ended;

    public string Text => string.Join('\n', _lines);

    /// <summary>Starts relaying <paramref name="process"/>'s redirected output.</summary>
    public static ProcessOutput Of(Process process)
    {
        var output = new ProcessOutput();
        output._ended = Task.WhenAll(output.PumpAsync(process.StandardOutput), output.PumpAsync(process.StandardError));
        return output;
    }

    /// <summary>The first line (already seen or still to come) that matches, within <paramref name="timeout"/>.</summary>
    public async Task<string> WaitForAsync(Func<string, bool> match, TimeSpan timeout, Func<bool>? givenUp = null)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            if (_lines.FirstOrDefault(match) is { } line)
                return line;
            if (givenUp?.Invoke() == true)
                throw new Xunit.Sdk.XunitException("The process ended before the expected line. Its output:\n" + Text);
            try
            {
                await _arrived.WaitAsync(TimeSpan.FromMilliseconds(200), cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new Xunit.Sdk.XunitException($"No expected line within {timeout.TotalSeconds} s. The output:\n" + Text);
            }
        }
    }

    private async Task PumpAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            _lines.Enqueue(line);
            _arrived.Release();
        }
    }
}
