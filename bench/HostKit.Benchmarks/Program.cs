using BenchmarkDotNet.Running;
using HostKit.Benchmarks.EndToEnd;
using HostKit.Benchmarks.Profiling;

// --profile: the quick end-to-end allocation reading and its top types (README.md); anything else is BenchmarkDotNet's.
if (args.Contains("--profile"))
    return await AllocationProfile.RunAsync(args);

// Not typeof(Program): the Demo, referenced for its app, has a Program of its own.
BenchmarkSwitcher.FromAssembly(typeof(PlaintextRequestBenchmarks).Assembly).Run(args);
return 0;
