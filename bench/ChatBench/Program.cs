// Usage (Release, on an otherwise quiet machine):
//   dotnet run -c Release --project bench/ChatBench -- [throughput|fanout|all] [--members 1000] [--messages 200]
// Starts redis-server and, for fanout, two Demo nodes (kestrel and raw) on free ports; stops them at the end.
using HostKit.ChatBench;

var mode = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "all";
var members = Option("--members", 1000);
var messages = Option("--messages", 200);

await using var redis = await BenchRedis.StartAsync();
Console.WriteLine($"# ChatBench {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, redis-server on port {redis.Port}");
if (mode is "throughput" or "all")
    await BackplaneThroughput.RunAsync(redis.Address);
if (mode is "fanout" or "all")
    await CrossNodeFanOut.RunAsync(redis.Address, members, messages);
return 0;

int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
}
