using Hearth.Hosting;
using Tomlyn.Model;

namespace Hearth.Supabase;

/// <summary>
/// Walks config.toml's model: applies the settings Hearth supports, resolves env(NAME) values as the Supabase
/// CLI does, and collects one warning per setting that would change something but is ignored. Silent: a
/// section with enabled = false (it turns nothing on), and settings of the services Hearth replaces (the
/// database's ports and version, project_id).
/// </summary>
internal sealed class SupabaseConfigReader(string path)
{
    private static readonly HashSet<string> Silent = new(StringComparer.Ordinal)
    {
        "project_id", "api.enabled", "db.port", "db.shadow_port", "db.major_version", "db.root_key", "db.seed.enabled", "db.migrations.enabled",
        "auth.enabled", "auth.jwt_secret", "storage.enabled", "realtime.ip_version", "realtime.max_header_length",
        // Limits of flows Hearth does not have (mail, SMS, OTP, web3): they can never be reached, so nothing is ignored.
        "auth.rate_limit.email_sent", "auth.rate_limit.sms_sent", "auth.rate_limit.token_verifications", "auth.rate_limit.web3",
    };

    private readonly List<string> _warnings = [];

    public SupabaseConfig Read(TomlTable root)
    {
        var api = Table(root, "api");
        var seed = Table(Table(root, "db"), "seed");
        var auth = Table(root, "auth");
        var email = Table(auth, "email");
        var config = new SupabaseConfig
        {
            ApiPort = Number(api, "api.port") is { } port ? (port is >= 0 and <= 65535 ? (int)port : throw Bad("api.port", "is not a port")) : null,
            ApiSchemas = Strings(api, "api.schemas"),
            ApiExtraSearchPath = Strings(api, "api.extra_search_path"),
            ApiMaxRows = Number(api, "api.max_rows") is { } rows and > 0 ? rows : null,
            SeedEnabled = Bool(seed, "db.seed.enabled") ?? true,
            SeedPaths = Strings(seed, "db.seed.sql_paths") ?? ["./seed.sql"],
            SeedPathsGiven = seed?.ContainsKey("sql_paths") == true,
            JwtSecret = Text(auth, "auth.jwt_secret") is { Length: > 0 } secret ? secret : null,
            Auth = ReadAuth(auth, email),
            StorageFileSizeLimit = Text(Table(root, "storage"), "storage.file_size_limit") is { Length: > 0 } size
                ? Storage.FileSize.TryParse(size, decimalUnits: false, out var bytes) ? bytes : throw Bad("storage.file_size_limit", "is not a size (e.g. \"50MiB\")")
                : null,
            Realtime = new Realtime.RealtimeConfig(Bool(Table(root, "realtime"), "realtime.enabled"),
                Number(Table(root, "realtime"), "realtime.max_connections"), Number(Table(root, "realtime"), "realtime.max_queued_messages")),
        };
        Warn(root, "", Applied);
        return config with { Warnings = _warnings };
    }

    /// <summary>[auth], [auth.email] and [auth.rate_limit] as the auth server's options (defaults: a new project's).</summary>
    private AuthServer.AuthServerOptions ReadAuth(TomlTable? auth, TomlTable? email)
    {
        var d = new AuthServer.AuthServerOptions();
        var limits = Table(auth, "rate_limit");
        int Int(TomlTable? table, string name, int fallback, int min, int max = int.MaxValue) => Number(table, name) switch
        {
            null => fallback,
            { } n when n >= min && n <= max => (int)n,
            _ => throw Bad(name, $"must be a whole number from {min} to {max}"),
        };
        return d with
        {
            SiteUrl = Text(auth, "auth.site_url") ?? d.SiteUrl,
            AdditionalRedirectUrls = Strings(auth, "auth.additional_redirect_urls") ?? d.AdditionalRedirectUrls,
            JwtExpiry = Int(auth, "auth.jwt_expiry", d.JwtExpiry, 1),
            EnableSignup = Bool(auth, "auth.enable_signup") ?? d.EnableSignup,
            EnableAnonymousSignIns = Bool(auth, "auth.enable_anonymous_sign_ins") ?? d.EnableAnonymousSignIns,
            EnableRefreshTokenRotation = Bool(auth, "auth.enable_refresh_token_rotation") ?? d.EnableRefreshTokenRotation,
            RefreshTokenReuseInterval = Int(auth, "auth.refresh_token_reuse_interval", d.RefreshTokenReuseInterval, 0),
            // GoTrue never goes below 6, whatever the file says.
            MinimumPasswordLength = Math.Max(6, Int(auth, "auth.minimum_password_length", d.MinimumPasswordLength, 0, AuthServer.PasswordPolicy.MaxLength)),
            PasswordRequirements = Text(auth, "auth.password_requirements") ?? d.PasswordRequirements,
            EmailEnableSignup = Bool(email, "auth.email.enable_signup") ?? d.EmailEnableSignup,
            EmailEnableConfirmations = Bool(email, "auth.email.enable_confirmations") ?? d.EmailEnableConfirmations,
            RateLimitSignUps = Int(limits, "auth.rate_limit.sign_in_sign_ups", d.RateLimitSignUps, 1),
            RateLimitTokenRefresh = Int(limits, "auth.rate_limit.token_refresh", d.RateLimitTokenRefresh, 1),
            RateLimitAnonymousUsers = Int(limits, "auth.rate_limit.anonymous_users", d.RateLimitAnonymousUsers, 1),
        };
    }

    /// <summary>Keys Hearth applies or keeps (dotted paths); a table listed here is taken whole.</summary>
    private static readonly HashSet<string> Applied = new(StringComparer.Ordinal)
    {
        "api.port", "api.schemas", "api.extra_search_path", "api.max_rows", "db.seed.sql_paths",
        "auth.site_url", "auth.additional_redirect_urls", "auth.jwt_expiry", "auth.enable_signup", "auth.enable_anonymous_sign_ins",
        "auth.enable_refresh_token_rotation", "auth.refresh_token_reuse_interval", "auth.minimum_password_length", "auth.password_requirements",
        "auth.email.enable_signup", "auth.email.enable_confirmations",
        "auth.rate_limit.sign_in_sign_ups", "auth.rate_limit.token_refresh", "auth.rate_limit.anonymous_users",
        "storage.file_size_limit",
        "realtime.enabled", "realtime.max_connections", "realtime.max_queued_messages",
    };

    /// <summary>One warning per leaf setting that is neither applied nor silent, skipping disabled sections.</summary>
    private void Warn(TomlTable table, string prefix, HashSet<string> applied)
    {
        if (prefix.Length > 0 && table.TryGetValue("enabled", out var enabled) && enabled is false) return;
        foreach (var (key, value) in table)
        {
            var name = prefix.Length == 0 ? key : prefix + "." + key;
            if (applied.Contains(name) || Silent.Contains(name)) continue;
            if (value is TomlTable child) { Warn(child, name, applied); continue; }
            if (value is TomlTableArray array) { foreach (var item in array) Warn(item, name, applied); continue; }
            if (IsEmpty(value)) continue; // an empty string or list asks for nothing
            _warnings.Add($"{path}: [{prefix}] {key} is not supported by Hearth yet; ignored.".Replace("[] ", ""));
        }
    }

    private static bool IsEmpty(object? value) => value is null || value is string { Length: 0 } || value is TomlArray { Count: 0 } || value is TomlTable { Count: 0 };

    private static TomlTable? Table(TomlTable? parent, string key) => parent is not null && parent.TryGetValue(key, out var v) ? v as TomlTable : null;

    private object? Value(TomlTable? table, string name)
    {
        if (table is null || !table.TryGetValue(name[(name.LastIndexOf('.') + 1)..], out var v)) return null;
        return v is string s ? Resolve(s, name) : v;
    }

    /// <summary>env(NAME) is the variable's value, as in the Supabase CLI; an unset variable leaves the setting unset.</summary>
    private string? Resolve(string value, string name)
    {
        var trimmed = value.Trim();
        if (!trimmed.StartsWith("env(", StringComparison.Ordinal) || !trimmed.EndsWith(')')) return value;
        var variable = trimmed[4..^1].Trim();
        if (Environment.GetEnvironmentVariable(variable) is { } set) return set;
        _warnings.Add($"{path}: {name} = env({variable}) but {variable} is not set; the setting is ignored.");
        return null;
    }

    private string? Text(TomlTable? table, string name) => Value(table, name) switch
    {
        null => null,
        string s => s,
        _ => throw Bad(name, "must be a string"),
    };

    private long? Number(TomlTable? table, string name) => Value(table, name) switch
    {
        null => null,
        long n => n,
        string s when long.TryParse(s, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n) => n,
        _ => throw Bad(name, "must be a whole number"),
    };

    private bool? Bool(TomlTable? table, string name) => Value(table, name) switch
    {
        null => null,
        bool b => b,
        string s when bool.TryParse(s, out var b) => b,
        _ => throw Bad(name, "must be true or false"),
    };

    private IReadOnlyList<string>? Strings(TomlTable? table, string name) => Value(table, name) switch
    {
        null => null,
        TomlArray array => array.Select(item => item is string s ? Resolve(s, name) : throw Bad(name, "must be a list of strings"))
            .OfType<string>().Select(s => s.Trim()).Where(s => s.Length > 0).ToList(),
        string s => s.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
        _ => throw Bad(name, "must be a list of strings"),
    };

    private HearthUsageException Bad(string name, string problem) => new($"{path}: {name} {problem}.");
}
