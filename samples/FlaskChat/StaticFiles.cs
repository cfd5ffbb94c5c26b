namespace HostKit.Samples.FlaskChat;

/// <summary>
/// A folder served as files, in the contract's style: Flask's <c>static_folder</c> (docs/coming-from-python.md, "Static
/// files"). A request that names no such file, or one of a type outside the table, goes on to the rest of the application.
/// </summary>
public static class StaticFiles
{
    /// <summary>Serves the files under <paramref name="folder"/> at their paths (<c>GET /css/site.css</c>); anything else goes to <paramref name="next"/>.</summary>
    /// <param name="folder">The folder to serve; nothing outside it is ever read.</param>
    /// <param name="next">The rest of the application.</param>
    public static Application Create(string folder, Application next)
    {
        var root = Path.GetFullPath(folder) + Path.DirectorySeparatorChar;
        var types = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [".html"] = "text/html; charset=utf-8",
            [".css"] = "text/css; charset=utf-8",
            [".js"] = "text/javascript; charset=utf-8",
            [".json"] = "application/json",
            [".txt"] = "text/plain; charset=utf-8",
            [".png"] = "image/png",
            [".svg"] = "image/svg+xml",
        };
        return (environ, start) =>
        {
            // PATH_INFO comes as sent, not percent-decoded ("%2e%2e" is a name, not ".."); a ".." that leaves the folder
            // is resolved by GetFullPath and refused by the prefix check.
            var path = Path.GetFullPath(Path.Combine(root, environ.PathInfo.TrimStart('/')));
            if (environ.RequestMethod is not ("GET" or "HEAD") || !path.StartsWith(root, StringComparison.Ordinal) || !File.Exists(path) ||
                !types.TryGetValue(Path.GetExtension(path), out var type))
                return next(environ, start);
            var file = File.OpenRead(path); // the host disposes the body's stream once it is sent
            start(200, [("Content-Type", type)]);
            return Body.Of(file, file.Length);
        };
    }
}
