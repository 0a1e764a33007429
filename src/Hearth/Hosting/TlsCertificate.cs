using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Hearth.Hosting;

/// <summary>
/// --tls-cert/--tls-key (PEM): the certificate Kestrel presents, re-read when either file changes (a
/// renewal by certbot or similar) — checked at most every two seconds, on the next TLS handshake. A
/// renewal that cannot be loaded (half-written, mismatched key) keeps the previous certificate and is logged.
/// </summary>
public sealed class TlsCertificate
{
    private static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(2);
    private readonly string _certFile;
    private readonly string _keyFile;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private X509Certificate2 _current;
    private (DateTime, long, DateTime, long) _stamp;
    private DateTime _checked;

    public TlsCertificate(string certFile, string keyFile, ILogger logger)
    {
        (_certFile, _keyFile, _logger) = (certFile, keyFile, logger);
        _stamp = Stamp();
        try { _current = Load(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new HearthStartupException($"--tls-cert/--tls-key: cannot load a certificate and key from '{certFile}' and '{keyFile}': {e.Message}");
        }
        _checked = DateTime.UtcNow;
    }

    public X509Certificate2 Current
    {
        get
        {
            if (DateTime.UtcNow - _checked < CheckEvery) return _current;
            lock (_gate)
            {
                if (DateTime.UtcNow - _checked < CheckEvery) return _current;
                _checked = DateTime.UtcNow;
                var stamp = Stamp();
                if (stamp == _stamp) return _current;
                try
                {
                    _current = Load();
                    _stamp = stamp;
                    _logger.LogInformation("TLS certificate reloaded from {File} (subject {Subject}, valid until {NotAfter:O})", _certFile, _current.Subject, _current.NotAfter.ToUniversalTime());
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
                {
                    _logger.LogWarning("TLS certificate files changed but cannot be loaded ({Error}); still serving the previous certificate", e.Message);
                }
                return _current;
            }
        }
    }

    private X509Certificate2 Load() => X509Certificate2.CreateFromPemFile(_certFile, _keyFile);

    private (DateTime, long, DateTime, long) Stamp()
    {
        var cert = new FileInfo(_certFile);
        var key = new FileInfo(_keyFile);
        return (cert.Exists ? cert.LastWriteTimeUtc : default, cert.Exists ? cert.Length : -1, key.Exists ? key.LastWriteTimeUtc : default, key.Exists ? key.Length : -1);
    }
}
