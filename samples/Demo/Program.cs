using HostKit.Demo;
using HostKit.Hosting;

// The Demo protocol (DESIGN.md) on whichever host configuration names:
//   dotnet run -c Release --project samples/Demo -- --host raw --urls http://127.0.0.1:8000
//   dotnet run -c Release --project samples/Demo -- --backplane redis://127.0.0.1:6379 --workers 2
// Chat settings come from the same configuration: HostKit:Chat in hostkit.json, HOSTKIT_CHAT__TOKEN=...,
// or --set HostKit:Chat:Token=... (docs/chat.md). `emit` posts one message into a room through Redis and exits.
// --otlp-endpoint http://127.0.0.1:4318 (or OTEL_EXPORTER_OTLP_ENDPOINT) exports the HostKit metrics and traces (docs/observability.md).
if (args is [EmitCommand.Name, .. var emitArgs])
    return await EmitCommand.RunAsync(emitArgs);
DemoTelemetry? telemetry = null;
try
{
    return await HostRunner.RunAsync(context => DemoServer.Build(context, started => telemetry = started), args, DemoServer.Options);
}
finally
{
    // After the server has stopped: the SDK sends the spans and the last metrics it still holds.
    telemetry?.Dispose();
}
