using System.CommandLine;
using System.CommandLine.Parsing;

namespace Hearth.Cli;

/// <summary>
/// Builds options whose default comes from a HEARTH_* environment variable; a flag on the command
/// line always wins. A bad value in the variable is a usage error, like a bad flag.
/// </summary>
internal static class OptionFactory
{
    public static string EnvName(string flag) => "HEARTH_" + flag.TrimStart('-').Replace('-', '_').ToUpperInvariant();

    public static Option<string?> Text(string flag, string description, string? fallback = null)
    {
        var env = EnvName(flag);
        return new Option<string?>(flag)
        {
            Description = $"{description} [env: {env}]" + (fallback is null ? "" : $" [default: {fallback}]"),
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(env) is { Length: > 0 } v ? v : fallback,
        };
    }

    /// <summary>
    /// A secret (--jwt-secret): no default value factory, so nothing that lists defaults (help, a future
    /// config dump) can ever show the variable's value. Read it with <see cref="SecretValue"/>.
    /// </summary>
    public static Option<string?> Secret(string flag, string description) =>
        new(flag) { Description = $"{description} [env: {EnvName(flag)}]" };

    public static string? SecretValue(ParseResult r, Option<string?> option) =>
        r.GetValue(option) ?? (Environment.GetEnvironmentVariable(EnvName(option.Name)) is { Length: > 0 } v ? v : null);

    /// <summary>A repeatable flag; its variable holds the values comma-separated.</summary>
    public static Option<string[]> List(string flag, string description)
    {
        var env = EnvName(flag);
        return new Option<string[]>(flag)
        {
            Description = $"{description} [env: {env}]",
            AllowMultipleArgumentsPerToken = false,
            DefaultValueFactory = _ => (Environment.GetEnvironmentVariable(env) ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
        };
    }

    /// <summary>
    /// A whole number from <paramref name="min"/> to <paramref name="max"/>; null fallback: unset unless
    /// given. The range is checked here, while parsing: a command validator reading a value that failed to
    /// parse would throw instead of reporting a usage error.
    /// </summary>
    public static Option<long?> Number(string flag, string description, long? fallback, long min = 0, long max = long.MaxValue)
    {
        var env = EnvName(flag);
        return new Option<long?>(flag)
        {
            Description = $"{description} [env: {env}]" + (fallback is null ? "" : $" [default: {fallback}]"),
            DefaultValueFactory = r => Environment.GetEnvironmentVariable(env) is { Length: > 0 } v ? ParseNumber(r, env, v, min, max) : fallback,
            CustomParser = r => ParseNumber(r, flag, r.Tokens.Count > 0 ? r.Tokens[^1].Value : "", min, max),
        };
    }

    private static long? ParseNumber(ArgumentResult r, string source, string text, long min, long max)
    {
        if (long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= min && n <= max)
            return n;
        r.AddError(max == long.MaxValue ? $"{source}: '{text}' is not a whole number ≥ {min}." : $"{source}: '{text}' is not a whole number from {min} to {max}.");
        return null;
    }

    public static Option<int> Port(string flag, string description, int fallback)
    {
        var env = EnvName(flag);
        return new Option<int>(flag)
        {
            Description = $"{description} [env: {env}] [default: {fallback}]",
            DefaultValueFactory = r => Environment.GetEnvironmentVariable(env) is { Length: > 0 } v ? ParsePort(r, env, v) : fallback,
            CustomParser = r => ParsePort(r, flag, r.Tokens.Count > 0 ? r.Tokens[^1].Value : ""),
        };
    }

    private static int ParsePort(ArgumentResult r, string source, string text)
    {
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n <= 65535)
            return n;
        r.AddError($"{source}: '{text}' is not a port (0-65535; 0 picks a free port).");
        return 0;
    }

    /// <summary>
    /// A true/false setting whose default may be true (`--db-prepared-statements false`, as PostgREST's
    /// db-prepared-statements = false); the flag alone means true.
    /// </summary>
    public static Option<bool> Toggle(string flag, string description, bool fallback)
    {
        var env = EnvName(flag);
        return new Option<bool>(flag)
        {
            Description = $"{description} [env: {env}] [default: {(fallback ? "true" : "false")}]",
            Arity = ArgumentArity.ZeroOrOne,
            DefaultValueFactory = r => Environment.GetEnvironmentVariable(env) is { Length: > 0 } v ? ParseBool(r, env, v) : fallback,
            CustomParser = r => r.Tokens.Count == 0 || ParseBool(r, flag, r.Tokens[^1].Value),
        };
    }

    private static bool ParseBool(ArgumentResult r, string source, string text)
    {
        if (bool.TryParse(text, out var b)) return b;
        if (text is "1" or "0") return text == "1";
        r.AddError($"{source}: '{text}' is not true or false.");
        return false;
    }

    /// <param name="fallback">The value when neither the flag nor its variable is given; a true one is turned off with `--flag false`.</param>
    public static Option<bool> Flag(string flag, string description, bool fallback = false)
    {
        var env = EnvName(flag);
        return new Option<bool>(flag)
        {
            Description = fallback ? $"{description} [env: {env}=false] [default: true]" : $"{description} [env: {env}=true]",
            DefaultValueFactory = r =>
            {
                var v = Environment.GetEnvironmentVariable(env);
                if (string.IsNullOrEmpty(v)) return fallback;
                if (bool.TryParse(v, out var b)) return b;
                if (v is "1" or "0") return v == "1";
                r.AddError($"{env}: '{v}' is not true or false.");
                return false;
            },
        };
    }
}
