using HostKit.Hosting;
using HostKit.Samples.FlaskChat;

// Like `python flask_chat.py`: --host and --urls (or HOSTKIT_HOST, HOSTKIT_URLS, hostkit.json) choose where it runs.
await HostRunner.RunAsync(FlaskChat.Create(), args);
