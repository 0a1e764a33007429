using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Hearth.Tests.Infrastructure;

/// <summary>
/// A real Hearth process (the JIT build, or the AOT binary in CI) started the way users start it.
/// Collects stdout/stderr and knows the URL once the ready line appears.
/// </summary>
public sealed partial class HearthProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource<string> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> _firstLine = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HearthProcess(Process process)
    {
        _process = process;
        // A test of a refused start waits for the exit, not for these: observe their failure so it is not reported as unobserved.
        _ = _ready.Task.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);
        _ = _firstLine.Task.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_stdout) _stdout.AppendLine(e.Data);
            _firstLine.TrySetResult(e.Data);
            if (ReadyLine().Match(e.Data) is { Success: true } m) _ready.TrySetResult(m.Groups[1].Value);
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_stderr) _stderr.AppendLine(e.Data); };
        process.Exited += (_, _) =>
        {
            _ready.TrySetException(new InvalidOperationException("Hearth exited before it was ready:\n" + Stderr));
            _firstLine.TrySetException(new InvalidOperationException("Hearth exited before writing a line:\n" + Stderr));
        };
    }

    public int Pid => _process.Id;
    public string Stdout { get { lock (_stdout) return _stdout.ToString(); } }
    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }
    public Uri BaseUrl { get; private set; } = null!;
    public bool HasExited => _process.HasExited;

    public static HearthProcess Start(IEnumerable<string> args, IDictionary<string, string>? env = null, string? workingDir = null)
    {
        var (file, prefix) = RepoPaths.HearthCommand();
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDir ?? Path.GetTempPath(),
        };
        foreach (var a in prefix.Concat(args)) psi.ArgumentList.Add(a);
        // Tests must not inherit a developer's HEARTH_* settings.
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("HEARTH_", StringComparison.Ordinal) && k is not "HEARTH_BIN" and not "HEARTH_PG_BINARIES").ToList())
            psi.Environment.Remove(key);
        if (env is not null) foreach (var (k, v) in env) psi.Environment[k] = v;
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var hearth = new HearthProcess(process);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return hearth;
    }

    /// <summary>Starts `hearth serve` and waits for its ready line.</summary>
    public static async Task<HearthProcess> ServeAsync(string dataDir, string? migrations = null, IEnumerable<string>? extraArgs = null,
        IDictionary<string, string>? env = null)
    {
        var args = new List<string> { "serve", "--data-dir", dataDir, "--port", "0" };
        if (migrations is not null) args.AddRange(["--migrations", migrations]);
        if (extraArgs is not null) args.AddRange(extraArgs);
        var hearth = Start(args, env);
        await hearth.WaitReadyAsync();
        return hearth;
    }

    /// <summary>The first line Hearth wrote to stdout (the sidecar handshake).</summary>
    public Task<string> FirstLineAsync() => _firstLine.Task.WaitAsync(TimeSpan.FromSeconds(90));

    /// <summary>Closes Hearth's stdin, as a sidecar host does when it shuts down.</summary>
    public void CloseStdin() => _process.StandardInput.Close();

    public async Task WaitReadyAsync()
    {
        var url = await _ready.Task.WaitAsync(TimeSpan.FromSeconds(90));
        BaseUrl = new Uri(url + "/");
    }

    /// <summary>Runs a command to completion (migrate, --help, …) and returns its exit code.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(IEnumerable<string> args,
        IDictionary<string, string>? env = null, string? workingDir = null)
    {
        await using var p = Start(args, env, workingDir);
        var code = await p.WaitForExitAsync(TimeSpan.FromSeconds(120));
        return (code, p.Stdout, p.Stderr);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit(); // flushes the redirected streams
        return _process.ExitCode;
    }

    public void Signal(int signal) => Signals.Send(_process.Id, signal);

    /// <summary>SIGTERM, as a service manager or `docker stop` sends it; returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (_process.HasExited) return _process.ExitCode;
        Signal(Signals.SigTerm);
        return await WaitForExitAsync(TimeSpan.FromSeconds(60));
    }

    public void KillHard() => _process.Kill(entireProcessTree: false);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited) await StopAsync();
        }
        catch (Exception) when (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }

    [GeneratedRegex(@"^Hearth listening on (\S+)$")]
    private static partial Regex ReadyLine();
}
