using HostKit.Fuzz;
using SharpFuzz;

// HostKit.Fuzz TARGET                  under afl-fuzz (fuzz/run.sh): SharpFuzz's fork server runs TARGET per input
// HostKit.Fuzz --replay TARGET PATH... without afl-fuzz: every file of PATH through TARGET
// HostKit.Fuzz --list                  the targets
const string Usage = "usage: HostKit.Fuzz TARGET | --replay TARGET PATH... | --list";

switch (args)
{
    case ["--list"]:
        foreach (var each in Targets.All)
            Console.WriteLine($"{each.Name,-10} {each.Description}");
        return 0;
    case ["--replay", var name, .. var paths] when paths.Length > 0:
        return Targets.Find(name) is { } replayed ? Replay.Run(replayed, paths) : Unknown(name);
    case [var name] when !name.StartsWith('-'):
        if (Targets.Find(name) is not { } target)
            return Unknown(name);
        // One dotnet process serves input after input (starting one per input would be far too slow), in a
        // child that SharpFuzz restarts when it dies: a hang that afl-fuzz kills, or a stack overflow, is then
        // recorded instead of ending the campaign (in-process Fuzzer.Run cannot survive either). An input
        // that throws is reported as a crash.
        Fuzzer.OutOfProcess.Run(stream =>
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            target.Run(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        });
        return 0;
    default:
        Console.Error.WriteLine(Usage);
        return 2;
}

static int Unknown(string name)
{
    Console.Error.WriteLine($"unknown target '{name}'; the targets: {string.Join(", ", Targets.All.Select(t => t.Name))}");
    return 2;
}
