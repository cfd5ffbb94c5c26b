using System.CommandLine;
using HostKit.Chat;
using HostKit.Chat.Backplane;
using HostKit.Chat.Redis;
using HostKit.Hosting;
using HostKit.Hosts;

namespace HostKit.Demo;

/// <summary>
/// <c>emit --backplane redis://HOST:PORT --room R --text T [--name N]</c>: posts one message into a room through Redis
/// and exits, as a job worker or a script would. It is an ordinary append (docs/backplane.md): every member on every
/// node gets it, with the room's next id.
/// </summary>
internal static class EmitCommand
{
    public const string Name = "emit";

    private const string DefaultSender = "emit";

    public static async Task<int> RunAsync(string[] args)
    {
        var backplane = new Option<string>(DemoServer.BackplaneOption.Name) { Description = "The Redis backplane, redis://HOST:PORT (or HOSTKIT_BACKPLANE).", HelpName = "URL" };
        var room = new Option<string>("--room") { Description = "The room: 1 to 64 of A-Z a-z 0-9 _ -.", Required = true };
        var text = new Option<string>("--text") { Description = "The message.", Required = true };
        var sender = new Option<string>("--name") { Description = $"Who says it (default '{DefaultSender}').", DefaultValueFactory = _ => DefaultSender };
        var command = new RootCommand("Posts one message to a chat room through the Redis backplane, and exits.") { backplane, room, text, sender };
        var parsed = command.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
                Console.Error.WriteLine($"error: {error.Message}");
            return HostRunner.UsageError;
        }
        if (parsed.Action is not null)
            return await parsed.InvokeAsync(); // --help

        ChatOptions options;
        try
        {
            // The server's sources, so HOSTKIT_BACKPLANE and hostkit.json work here too, and the history limit matches the nodes'.
            var given = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            if (parsed.GetValue(backplane) is { } address)
                given[DemoServer.BackplaneOption.Key] = address;
            options = ChatOptions.FromConfiguration(HostKitConfiguration.Build(given, applicationOptions: [DemoServer.BackplaneOption]));
        }
        catch (Exception ex) when (ex is HostStartException or InvalidOperationException)
        {
            return Fail(HostRunner.UsageError, ex.Message);
        }
        var roomName = parsed.GetValue(room)!;
        var senderName = parsed.GetValue(sender)!;
        if (!RedisAddress.IsRedis(options.Backplane))
            return Fail(HostRunner.UsageError, "emit posts through Redis: give --backplane redis://HOST:PORT (or HOSTKIT_BACKPLANE).");
        if (!ChatNames.IsValidRoom(roomName))
            return Fail(HostRunner.UsageError, $"--room '{roomName}' must be 1 to 64 characters from A-Z, a-z, 0-9, '_' and '-'.");
        if (!ChatNames.IsValidName(senderName))
            return Fail(HostRunner.UsageError, $"--name '{senderName}' must be 1 to 32 printable characters, at least one of them visible.");

        await using var redis = await RedisChatBackplane.ConnectAsync(new RedisChatBackplaneOptions { Address = options.Backplane!, HistoryLimit = options.HistoryLimit });
        try
        {
            var stored = await redis.AppendAsync(new ChatPost(ChatEventType.Message, roomName, senderName, parsed.GetValue(text)!));
            Console.Out.WriteLine($"emitted to room {roomName} as event {stored.Id}");
            return 0;
        }
        catch (ChatBackplaneUnavailableException ex)
        {
            return Fail(HostRunner.StartFailure, ex.Message);
        }
    }

    private static int Fail(int code, string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return code;
    }
}
