using System.CommandLine;
using Hearth.Backup;
using Hearth.Hosting;

namespace Hearth.Cli;

/// <summary>serve's operations flags: WAL archiving, scheduled backups, the admin listener, JSON logs, TLS.</summary>
internal sealed class OperationsOptions
{
    public Option<string?> WalArchive { get; } = OptionFactory.Text("--wal-archive", "Folder the embedded PostgreSQL archives its WAL into, for point-in-time restore (hearth restore --wal-archive).");
    public Option<string?> BackupSchedule { get; } = OptionFactory.Text("--backup-schedule", "Take a backup this often: a number and a unit s, m, h or d (e.g. 6h, 1d; at least 1m).");
    public Option<long?> BackupKeep { get; } = OptionFactory.Number("--backup-keep", "Scheduled backups kept in --backup-dir; older ones are deleted.", 7, min: 1);
    public Option<string?> BackupDir { get; } = OptionFactory.Text("--backup-dir", "Folder of scheduled backups and POST /backup on the admin port; default: <data-dir>/backups.");
    public Option<long?> AdminPort { get; } = OptionFactory.Number("--admin-port", "Port serving /live, /ready, /metrics (Prometheus) and POST /backup on --admin-host (loopback by default); 0 picks a free port. Unset: none.", null, max: 65535);
    public Option<string?> AdminHost { get; } = OptionFactory.Text("--admin-host", "Address of the --admin-port listener (an IP address or localhost); /metrics and POST /backup reach whoever can connect, so keep it private.", HearthOptions.DefaultAdminHost);
    public Option<string?> LogFormat { get; } = OptionFactory.Text("--log-format", "Log line format: text or json (one JSON object per line).", "text");
    public Option<string?> TlsCert { get; } = OptionFactory.Text("--tls-cert", "PEM certificate (chain) file: serve HTTPS; reloaded when it changes. Needs --tls-key.");
    public Option<string?> TlsKey { get; } = OptionFactory.Text("--tls-key", "PEM private key file of --tls-cert.");

    public void AddTo(Command command, CommonOptions common)
    {
        foreach (var o in new Option[] { WalArchive, BackupSchedule, BackupKeep, BackupDir, AdminPort, AdminHost, LogFormat, TlsCert, TlsKey }) command.Options.Add(o);
        command.Validators.Add(r =>
        {
            var external = r.GetValue(common.DatabaseUrl) is not null;
            if (external && r.GetValue(WalArchive) is not null) r.AddError("--wal-archive: " + BackupRun.OperatorsJob);
            if (external && r.GetValue(BackupSchedule) is not null) r.AddError("--backup-schedule: " + BackupRun.OperatorsJob);
            if (r.GetValue(BackupSchedule) is { } every && Backup.BackupSchedule.ParseInterval(every) is null)
                r.AddError($"--backup-schedule: '{every}' is not an interval such as 30m, 6h or 1d (at least 1m).");
            if (r.GetValue(AdminHost) is { } adminHost && adminHost != "localhost" && !System.Net.IPAddress.TryParse(adminHost, out _))
                r.AddError($"--admin-host: '{adminHost}' is not an IP address or 'localhost'.");
            if (r.GetValue(LogFormat) is { } format && format is not ("text" or "json")) r.AddError($"--log-format: '{format}' is not text or json.");
            if ((r.GetValue(TlsCert) is null) != (r.GetValue(TlsKey) is null)) r.AddError("--tls-cert and --tls-key go together: give both PEM files.");
        });
    }

    public HearthOptions Apply(ParseResult r, HearthOptions options) => options with
    {
        WalArchiveDir = r.GetValue(WalArchive) is { } dir ? Backup.WalArchive.Normalize(dir) : null,
        BackupInterval = r.GetValue(BackupSchedule) is { } every ? Backup.BackupSchedule.ParseInterval(every) : null,
        BackupKeep = (int)Math.Min(int.MaxValue, r.GetValue(BackupKeep) ?? 7),
        BackupDir = r.GetValue(BackupDir) is { } backups ? Path.GetFullPath(backups) : null,
        AdminPort = r.GetValue(AdminPort) is { } port ? (int)port : null,
        AdminHost = r.GetValue(AdminHost) ?? HearthOptions.DefaultAdminHost,
        LogFormat = r.GetValue(LogFormat) ?? "text",
        TlsCertFile = r.GetValue(TlsCert) is { } cert ? Path.GetFullPath(cert) : null,
        TlsKeyFile = r.GetValue(TlsKey) is { } key ? Path.GetFullPath(key) : null,
    };
}
