using System.CommandLine;
using Hearth.Hosting;

namespace Hearth.Cli;

/// <summary>
/// `hearth keys`: prints Supabase's two API keys for the JWT secret serve would use, as one JSON object
/// {"anon_key":…,"service_role_key":…} — what an app puts in SUPABASE_ANON_KEY / SERVICE_ROLE_KEY.
/// </summary>
internal static class KeysCommand
{
    public static Command Create()
    {
        var dataDir = OptionFactory.Text("--data-dir", "Data dir whose generated JWT secret signs the keys (when no secret is given).", HearthOptions.DefaultDataDir);
        var supabase = OptionFactory.Text("--supabase", "Supabase CLI project folder: its [auth] jwt_secret, else the CLI's local-development secret.");
        var jwtSecret = OptionFactory.Secret("--jwt-secret", "Shared secret (at least 32 characters) or @file holding it.");
        var jwtBase64 = OptionFactory.Flag("--jwt-secret-is-base64", "The shared secret is base64-encoded.");
        var command = new Command("keys", "Print the anon and service_role API keys (JSON) for the JWT secret serve uses.") { dataDir, supabase, jwtSecret, jwtBase64 };
        command.SetAction((r, _) => CommandRunner.RunAsync(() =>
        {
            var options = new HearthOptions
            {
                DataDir = r.GetValue(dataDir) ?? HearthOptions.DefaultDataDir,
                SupabaseDir = r.GetValue(supabase),
                JwtKeys = OptionFactory.SecretValue(r, jwtSecret) is { } secret ? Auth.JwtKeySet.Parse(secret, r.GetValue(jwtBase64), ServeCommand.ReadKeyFile) : null,
            };
            options = Supabase.SupabaseProject.Apply(options, CommonOptions.Given(r), w => Console.Error.WriteLine("hearth: warning: " + w));
            options = Supabase.JwtDefaults.Resolve(options);
            if (options.JwtSigningSecret is not { } signing)
                throw new HearthUsageException("keys: API keys are HS256 tokens and need a shared secret; a JWK or JWKS can only verify them.");
            var now = DateTimeOffset.UtcNow;
            Console.Out.WriteLine($$"""{"anon_key":"{{Supabase.ApiKeys.Anon(signing, now)}}","service_role_key":"{{Supabase.ApiKeys.ServiceRole(signing, now)}}"}""");
            return Task.FromResult(0);
        }));
        return command;
    }
}
