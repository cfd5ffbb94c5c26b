using HostKit.Demo;
using HostKit.Hosting;

// The Demo protocol (DESIGN.md) on whichever host configuration names:
//   dotnet run -c Release --project samples/Demo -- --host raw --urls http://127.0.0.1:8000
return await HostRunner.RunAsync(DemoApp.Create(), args);
