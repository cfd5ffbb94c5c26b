using HostKit.Hosting;

// dotnet run -- --host raw --urls http://127.0.0.1:8000   (or --host kestrel, --port 8000; --host list shows the hosts)
// Without flags, hostkit.json says which host and address (the one in the folder you run from, else the copy beside
// the built app, so `dotnet run --project HostKitApp` works from the solution folder too); HOSTKIT_HOST and HOSTKIT_URLS override it.
return await HostRunner.RunAsync(HostKitApp.App.Create(), args);
