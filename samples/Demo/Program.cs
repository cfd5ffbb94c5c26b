using HostKit.Chat;
using HostKit.Demo;
using HostKit.Hosting;

// The Demo protocol (DESIGN.md) on whichever host configuration names:
//   dotnet run -c Release --project samples/Demo -- --host raw --urls http://127.0.0.1:8000
// Chat settings come from the same configuration: HostKit:Chat in hostkit.json, HOSTKIT_CHAT__TOKEN=...,
// or --set HostKit:Chat:Token=... (docs/chat.md).
return await HostRunner.RunAsync(
    context => DemoApp.Create(new ChatServer(ChatOptions.FromConfiguration(context.Configuration), loggerFactory: context.LoggerFactory)),
    args);
