using System.CommandLine;

namespace HostKit.Hosting;

/// <summary>
/// The runner's command line, parsed by System.CommandLine (so <c>--help</c> and typos are handled)
/// and handed on as configuration keys, the highest-precedence layer.
/// </summary>
public static class HostKitCommandLine
{
    private static readonly Option<string> HostOption = new("--host")
    {
        Description = "The host (server engine) to run on, e.g. kestrel, raw, httplistener; 'list' prints them all.",
    };

    private static readonly Option<string> UrlsOption = CreateUrlsOption();

    private static readonly Option<string> PortOption = new("--port")
    {
        Description = "Shorthand for --urls http://127.0.0.1:PORT.",
    };

    private static readonly Option<string> UdsOption = new("--uds")
    {
        Description = "Listen on a unix domain socket at PATH (as uvicorn's --uds; also unix:PATH in --urls): a stale socket file is replaced, a live one refused; mode 0666; removed at stop.",
        HelpName = "PATH",
    };

    private static readonly Option<string> ConfigOption = new("--config")
    {
        Description = "A json file with a \"HostKit\" section (default: hostkit.json if present).",
    };

    private static readonly Option<string> LogLevelOption = new("--log-level")
    {
        Description = "Trace, Debug, Information (default), Warning, Error.",
    };

    private static readonly Option<string> WorkersOption = new("--workers")
    {
        Description = "Serve with N processes on the same address (SO_REUSEPORT, Linux), supervised: a crashed one is restarted. Default 1.",
        HelpName = "N",
    };

    private static readonly Option<string> ForwardedAllowIpsOption = new("--forwarded-allow-ips")
    {
        Description = "Peers whose X-Forwarded-*/Forwarded headers are believed: IPs and CIDRs separated by ',', 'unix' for unix-socket peers, '*' for all, '' for none. Default 127.0.0.1.",
        HelpName = "LIST",
    };

    private static readonly Option<bool> AccessLogOption = new("--access-log")
    {
        Description = "Write an access log line per request and per websocket session (category HostKit.AccessLog). Off by default.",
    };

    private static readonly Option<bool> NoAccessLogOption = new("--no-access-log")
    {
        Description = "No access log, whatever hostkit.json or the environment say.",
    };

    private static readonly Option<string> AccessLogFormatOption = new("--access-log-format")
    {
        Description = "combined (Combined Log Format and the duration, the default) or json; implies --access-log.",
        HelpName = "FORMAT",
    };

    private static readonly Option<string> CertFileOption = new("--certfile")
    {
        Description = "The certificate https:// addresses are served with: PEM (with --keyfile, unless the key is in the same file) or PKCS#12 (.pfx, .p12).",
        HelpName = "FILE",
    };

    private static readonly Option<string> KeyFileOption = new("--keyfile")
    {
        Description = "The certificate's private key (PEM).",
        HelpName = "FILE",
    };

    private static readonly Option<string> KeyFilePasswordOption = new("--keyfile-password")
    {
        Description = "The password of an encrypted key or PKCS#12 file (better: the HOSTKIT_KEYFILEPASSWORD variable, which ps does not show).",
        HelpName = "PASSWORD",
    };

    private static readonly Option<bool> Http2Option = new("--http2")
    {
        Description = "Serve HTTP/2 next to HTTP/1.1: h2c by prior knowledge on http:// addresses, h2 by ALPN on https:// ones (hosts with HTTP/2 in --host list).",
    };

    private static readonly Option<string[]> SetOption = CreateSetOption();

    private static readonly Option<bool> ListHostsOption = new("--list-hosts")
    {
        Description = "Print the registered hosts and what each supports, then exit.",
    };

    /// <summary>Parses <paramref name="args"/> against the runner's options and the application's own (<paramref name="applicationOptions"/>).</summary>
    /// <exception cref="ArgumentException">An application option reuses a name the runner (or another option) has.</exception>
    public static ParseResult Parse(string[] args, string description, IReadOnlyList<ConfigurationOption>? applicationOptions = null)
    {
        var root = new RootCommand(description) { HostOption, UrlsOption, PortOption, UdsOption, WorkersOption, ConfigOption, LogLevelOption, ForwardedAllowIpsOption, AccessLogOption, NoAccessLogOption, AccessLogFormatOption, CertFileOption, KeyFileOption, KeyFilePasswordOption, Http2Option, SetOption, ListHostsOption };
        foreach (var option in applicationOptions ?? [])
        {
            if (root.Options.Any(o => o.Name == option.Name))
                throw new ArgumentException($"The application option {option.Name} has the name of an option the runner already has.", nameof(applicationOptions));
            root.Options.Add(new Option<string>(option.Name) { Description = option.Description, HelpName = option.HelpName });
        }
        foreach (var version in root.Options.OfType<VersionOption>())
            version.Action = new VersionAction();
        return root.Parse(args);
    }

    /// <summary>
    /// The parse errors of <paramref name="result"/>, one line each in HostKit's words where it has them: an unknown option
    /// is one line with a "did you mean" (the value typed after it is no second error), and so is a stray argument, a word
    /// given without an option before it (<c>raw</c> for <c>--host raw</c>).
    /// </summary>
    /// <param name="result">The parse.</param>
    /// <param name="hostNames">The hosts <c>--host</c> may name: a stray word that is one of them is taken for a host.</param>
    internal static IEnumerable<string> ErrorLines(ParseResult result, IEnumerable<string> hostNames)
    {
        var options = result.RootCommandResult.Command.Options.SelectMany(o => o.Aliases.Prepend(o.Name)).Where(n => n.StartsWith("--", StringComparison.Ordinal)).ToList();
        var unknown = result.UnmatchedTokens.FirstOrDefault(t => t.Length > 1 && t[0] == '-');
        // A word after an unknown option is most likely that option's value, not a second mistake.
        var stray = unknown is null ? result.UnmatchedTokens.FirstOrDefault() : null;
        if (unknown is not null)
        {
            var name = unknown.Split('=', 2)[0];
            var guess = Suggestion.Closest(name, options) is { } option ? $" Did you mean {option}?" : "";
            yield return $"{name} is not an option of this program.{guess}";
        }
        else if (stray is not null)
        {
            yield return $"'{stray}' is an argument this program does not take: every setting is an option, written --name value.{StrayFix(stray, options, hostNames)}";
        }
        foreach (var error in result.Errors)
        {
            if ((unknown is null && stray is null) || !result.UnmatchedTokens.Any(t => error.Message.Contains($"'{t}'", StringComparison.Ordinal)))
                yield return error.Message;
        }
    }

    /// <summary>What a stray word most likely meant (" Did you mean ...?", or empty): a host, an address, a port, a config file, or an option typed without its dashes.</summary>
    private static string StrayFix(string word, IReadOnlyList<string> options, IEnumerable<string> hostNames)
    {
        var hosts = hostNames.Append("list").ToList();
        if (hosts.Contains(word, StringComparer.OrdinalIgnoreCase))
            return $" Did you mean --host {word}?";
        if (word.Contains("://", StringComparison.Ordinal) || word.StartsWith("unix:", StringComparison.OrdinalIgnoreCase))
            return $" Did you mean --urls {word}?";
        if (ushort.TryParse(word, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
            return $" Did you mean --port {word}?";
        if (word.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            return $" Did you mean --config {word}?";
        if (Suggestion.Closest(word, options.Select(o => o[2..])) is { } option)
            return $" Did you mean --{option}?";
        if (Suggestion.Closest(word, hosts) is { } host)
            return $" Did you mean --host {host}?";
        return ""; // the line after the errors says to run with --help
    }

    /// <summary>The options that were given, as configuration keys: the runner's as <c>HostKit:*</c>, the application's as their own keys.</summary>
    public static IReadOnlyDictionary<string, string?> ToConfiguration(ParseResult result, IReadOnlyList<ConfigurationOption>? applicationOptions = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        Add(values, "HostKit:Host", result.GetValue(ListHostsOption) ? "list" : result.GetValue(HostOption));
        Add(values, "HostKit:Urls", result.GetValue(UrlsOption));
        if (result.GetValue(PortOption) is { } port)
        {
            // --port on the command line beats HOSTKIT_URLS or a json "Urls": clear them at this layer.
            values["HostKit:Urls"] = string.Empty;
            values["HostKit:Port"] = port;
        }
        Add(values, "HostKit:Uds", result.GetValue(UdsOption));
        Add(values, "HostKit:Workers", result.GetValue(WorkersOption));
        Add(values, "HostKit:Config", result.GetValue(ConfigOption));
        foreach (var option in applicationOptions ?? [])
            Add(values, option.Key, result.GetValue<string>(option.Name));
        Add(values, "HostKit:LogLevel", result.GetValue(LogLevelOption));
        Add(values, "HostKit:ForwardedAllowIps", result.GetValue(ForwardedAllowIpsOption));
        Add(values, "HostKit:CertFile", result.GetValue(CertFileOption));
        Add(values, "HostKit:KeyFile", result.GetValue(KeyFileOption));
        Add(values, "HostKit:KeyFilePassword", result.GetValue(KeyFilePasswordOption));
        if (result.GetValue(Http2Option))
            values["HostKit:Http2"] = "true";
        if (result.GetValue(AccessLogFormatOption) is { } format)
        {
            values["HostKit:AccessLog"] = "true";
            values["HostKit:AccessLogFormat"] = format;
        }
        if (result.GetValue(AccessLogOption))
            values["HostKit:AccessLog"] = "true";
        if (result.GetValue(NoAccessLogOption))
            values["HostKit:AccessLog"] = "false";
        foreach (var setting in result.GetValue(SetOption) ?? [])
        {
            var (key, value) = SplitSetting(setting);
            values[key!] = value;
        }
        return values;
    }

    /// <summary><c>--urls</c>, which must name an address: an empty one would silently mean the default, 127.0.0.1:8000.</summary>
    private static Option<string> CreateUrlsOption()
    {
        var option = new Option<string>("--urls")
        {
            Description = "Where to listen: http://IP:PORT, https://IP:PORT (with --certfile) or unix:PATH, several separated by ';'. Port 0 picks a free port.",
        };
        option.Validators.Add(result =>
        {
            if (result.Tokens.Any(t => string.IsNullOrWhiteSpace(t.Value)))
                result.AddError("--urls is empty: " + HostKitSettings.UrlExample + " Leave --urls out for the default, " + HostKitSettings.DefaultUrl.ToString().TrimEnd('/') + ".");
        });
        return option;
    }

    /// <summary>
    /// <c>--set KEY=VALUE</c>: any configuration key, for settings the runner has no option of its own for
    /// (an application's, such as <c>HostKit:Chat:Token</c>), so the command line stays checked for typos.
    /// </summary>
    private static Option<string[]> CreateSetOption()
    {
        var option = new Option<string[]>("--set")
        {
            Description = "Sets any configuration key, e.g. --set HostKit:Chat:Token=secret; repeatable.",
            HelpName = "KEY=VALUE",
        };
        option.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                if (SplitSetting(token.Value).Key is null)
                    result.AddError($"--set takes KEY=VALUE, for example --set HostKit:Chat:Token=secret, not '{token.Value}'.");
            }
        });
        return option;
    }

    private static (string? Key, string Value) SplitSetting(string setting)
    {
        var equals = setting.IndexOf('=', StringComparison.Ordinal);
        return equals > 0 ? (setting[..equals].Trim(), setting[(equals + 1)..]) : (null, setting);
    }

    private static void Add(Dictionary<string, string?> values, string key, string? value)
    {
        if (value is not null)
            values[key] = value;
    }
}
