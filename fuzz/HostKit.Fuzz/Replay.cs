using System.Runtime.InteropServices;

namespace HostKit.Fuzz;

/// <summary>
/// <c>--replay TARGET PATH...</c>: runs every file (a file, or each file of a folder such as a corpus or
/// afl-fuzz's <c>crashes/</c>, <c>hangs/</c> and <c>queue/</c>) through the target without afl-fuzz, and
/// says which fail and why, so that a finding reproduces in one command. A run that takes longer than
/// <see cref="HangAfter"/> is reported as a hang.
/// </summary>
internal static class Replay
{
    public static readonly TimeSpan HangAfter = TimeSpan.FromSeconds(10);

    /// <summary>The size of afl-fuzz's coverage map, which SharpFuzz's instrumentation writes into.</summary>
    private const int CoverageMapBytes = 1 << 16;

    /// <summary>Returns the exit code: 0 when every file passed.</summary>
    public static int Run(IFuzzTarget target, IEnumerable<string> paths)
    {
        var files = paths.SelectMany(Expand).ToList();
        if (files.Count == 0)
        {
            Console.Error.WriteLine("replay: no files to run");
            return 2;
        }
        GiveCoverageAPlaceToGo();
        var failed = 0;
        foreach (var file in files)
        {
            var input = File.ReadAllBytes(file);
            Exception? error = null;
            // A thread of its own, so that a hang is reported instead of hanging the replay.
            var thread = new Thread(() =>
            {
                try
                {
                    target.Run(input);
                }
                catch (Exception ex)
                {
                    error = ex;
                }
            }, maxStackSize: 16 * 1024 * 1024);
            thread.IsBackground = true;
            thread.Start();
            if (!thread.Join(HangAfter))
            {
                Console.WriteLine($"HANG {file}: still running after {HangAfter.TotalSeconds:0} s");
                return 1 + failed;
            }
            if (error is null)
                continue;
            failed++;
            Console.WriteLine($"FAIL {file} ({input.Length} bytes: \"{Printable.Escape(input.AsSpan(0, Math.Min(input.Length, 300)))}\")");
            Console.WriteLine(error is OracleViolation ? $"  oracle: {error.Message}" : $"  {error}");
        }
        Console.WriteLine($"replay {target.Name}: {files.Count - failed} passed, {failed} failed");
        return failed == 0 ? 0 : 1;
    }

    /// <summary>
    /// An instrumented host kit (fuzz/run.sh's build) records every branch in afl-fuzz's shared memory, which
    /// is not there without afl-fuzz: give it a block of its own, so the same build replays too.
    /// </summary>
    private static unsafe void GiveCoverageAPlaceToGo()
    {
        if (SharpFuzz.Common.Trace.SharedMem == null)
            SharpFuzz.Common.Trace.SharedMem = (byte*)NativeMemory.AllocZeroed(CoverageMapBytes);
    }

    private static IEnumerable<string> Expand(string path)
    {
        if (!Directory.Exists(path))
            return [path];
        // afl-fuzz leaves a README.txt in crashes/ and hangs/, and dot-folders of its own state.
        return Directory.EnumerateFiles(path)
            .Where(file => Path.GetFileName(file) is not "README.txt" && !Path.GetFileName(file).StartsWith('.'))
            .Order(StringComparer.Ordinal);
    }
}
