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
        // In-process and persistent: one dotnet process serves every input, which is what makes .NET fast
        // enough to fuzz. An input that throws is reported to afl-fuzz as a crash.
        Fuzzer.Run(stream =>
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
