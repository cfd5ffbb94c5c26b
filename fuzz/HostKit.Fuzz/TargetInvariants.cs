using HostKit.Hosts;

namespace HostKit.Fuzz;

/// <summary>
/// What <see cref="RequestTarget"/> must make of a target the head parser accepted (origin form, absolute
/// form with a valid authority, or <c>*</c>) and a valid <c>Host</c>: PATH_INFO and QUERY_STRING that put
/// the target back together, and a SERVER_NAME that is the addressed host without its port.
/// </summary>
internal static class TargetInvariants
{
    public const string LocalAddress = "127.0.0.1";

    public static void Check(string target, string? host)
    {
        var (path, query) = RequestTarget.Split(target);
        var authority = RequestTarget.AuthorityOf(target);
        var scheme = target.StartsWith("http://", StringComparison.Ordinal) ? "http://" : target.StartsWith("https://", StringComparison.Ordinal) ? "https://" : null;
        Fuzz.Check.Equal(scheme is not null, authority is not null, $"AuthorityOf(\"{Printable.Escape(target)}\") is set exactly for the absolute form");

        if (target == "*")
        {
            Fuzz.Check.Equal(("*", ""), (path, query), "Split(\"*\")");
        }
        else
        {
            // The rest of the target after scheme and authority, split at its first '?', with an empty path read as "/".
            var rest = authority is null ? target : target[(scheme!.Length + authority.Length)..];
            var question = rest.IndexOf('?', StringComparison.Ordinal);
            var expectedPath = question < 0 ? rest : rest[..question];
            var expected = (expectedPath.Length == 0 ? "/" : expectedPath, question < 0 ? "" : rest[(question + 1)..]);
            Fuzz.Check.Equal(expected, (path, query), $"Split(\"{Printable.Escape(target)}\")");
            Fuzz.Check.That(path.StartsWith('/'), $"PATH_INFO \"{Printable.Escape(path)}\" starts with '/'");
            if (authority is not null)
                Fuzz.Check.That(authority.Length > 0 && (rest.Length == 0 || rest[0] is '/' or '?'), $"the authority of \"{Printable.Escape(target)}\" ends at its path or query");
        }

        var serverName = RequestTarget.ServerName(target, host, LocalAddress);
        var addressed = authority ?? host;
        Fuzz.Check.Equal(string.IsNullOrEmpty(addressed) ? LocalAddress : WithoutPort(addressed), serverName, $"ServerName(\"{Printable.Escape(target)}\", \"{Printable.Escape(host ?? "(none)")}\")");
    }

    /// <summary><c>host[:port]</c> without the port; an IPv6 literal keeps its brackets and colons.</summary>
    private static string WithoutPort(string authority)
    {
        if (authority.StartsWith('['))
            return authority[..(authority.IndexOf(']', StringComparison.Ordinal) + 1)];
        var colon = authority.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? authority : authority[..colon];
    }
}
