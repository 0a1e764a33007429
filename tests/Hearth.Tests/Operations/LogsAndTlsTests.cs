using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Operations;

/// <summary>--log-format json and --tls-cert/--tls-key, as a log shipper and an HTTPS client see them.</summary>
public class LogsAndTlsTests
{
    [Test]
    public async Task Json_logs_are_one_object_per_line_with_request_fields_and_no_secrets()
    {
        using var dir = new TempDir("jsonlog");
        await using var serve = await HearthProcess.ServeAsync(dir.Combine("data"), extraArgs: ["--log-format", "json", "--log-requests"]);
        using (var http = new HttpClient { BaseAddress = serve.BaseUrl })
        {
            http.DefaultRequestHeaders.Add("Authorization", "Bearer header-token-value");
            await http.GetAsync("live?apikey=query-secret-value&x=1");
        }
        await serve.StopAsync();

        var lines = serve.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        await Assert.That(lines.Length).IsGreaterThan(3);
        var requests = new List<JsonElement>();
        foreach (var line in lines)
        {
            using var doc = JsonDocument.Parse(line); // throws if any line is not JSON
            var root = doc.RootElement;
            await Assert.That(root.GetProperty("LogLevel").GetString()).IsNotNull();
            await Assert.That(DateTimeOffset.TryParse(root.GetProperty("Timestamp").GetString(), out _)).IsTrue();
            if (root.GetProperty("Category").GetString()!.EndsWith("RequestLoggingMiddleware", StringComparison.Ordinal))
                requests.Add(root.GetProperty("State").Clone());
        }
        await Assert.That(requests).HasCount(1);
        var request = requests[0];
        await Assert.That(request.GetProperty("Method").GetString()).IsEqualTo("GET");
        await Assert.That(request.GetProperty("Path").GetString()).IsEqualTo("/live");
        await Assert.That(request.GetProperty("Status").GetInt32()).IsEqualTo(200);
        await Assert.That(request.GetProperty("DurationMs").GetDouble()).IsGreaterThanOrEqualTo(0);
        await Assert.That(request.GetProperty("RequestId").GetString()).IsNotEmpty();
        await Assert.That(serve.Stderr).DoesNotContain("query-secret-value");
        await Assert.That(serve.Stderr).DoesNotContain("header-token-value");
    }

    private static (X509Certificate2 Cert, string CertPem, string KeyPem) SelfSigned(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return (cert, cert.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>The certificate a fresh TLS connection is shown.</summary>
    private static async Task<(HttpStatusCode Status, string Thumbprint)> FetchAsync(Uri url)
    {
        string? seen = null;
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, _) => { seen = cert!.Thumbprint; return true; },
        };
        using var http = new HttpClient(handler);
        using var response = await http.GetAsync(new Uri(url, "live"));
        return (response.StatusCode, seen!);
    }

    [Test]
    public async Task Tls_serves_https_with_the_given_certificate_and_picks_up_a_renewal()
    {
        using var dir = new TempDir("tls");
        var certFile = dir.Combine("cert.pem");
        var keyFile = dir.Combine("key.pem");
        var first = SelfSigned("hearth-first");
        File.WriteAllText(certFile, first.CertPem);
        File.WriteAllText(keyFile, first.KeyPem);

        await using var serve = await HearthProcess.ServeAsync(dir.Combine("data"), extraArgs: ["--tls-cert", certFile, "--tls-key", keyFile]);
        await Assert.That(serve.BaseUrl.Scheme).IsEqualTo("https");
        var before = await FetchAsync(serve.BaseUrl);
        await Assert.That(before.Status).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(before.Thumbprint).IsEqualTo(first.Cert.Thumbprint);

        var renewed = SelfSigned("hearth-renewed");
        File.WriteAllText(keyFile, renewed.KeyPem);
        File.WriteAllText(certFile, renewed.CertPem);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var after = before;
        while (DateTime.UtcNow < deadline && after.Thumbprint != renewed.Cert.Thumbprint)
        {
            await Task.Delay(500);
            after = await FetchAsync(serve.BaseUrl);
        }
        await Assert.That(after.Thumbprint).IsEqualTo(renewed.Cert.Thumbprint);
        await Assert.That(after.Status).IsEqualTo(HttpStatusCode.OK);
    }

    [Test]
    public async Task A_key_that_does_not_match_the_certificate_is_a_one_line_startup_error()
    {
        using var dir = new TempDir("tls-bad");
        File.WriteAllText(dir.Combine("cert.pem"), SelfSigned("one").CertPem);
        File.WriteAllText(dir.Combine("key.pem"), SelfSigned("two").KeyPem);
        var (code, _, stderr) = await HearthProcess.RunAsync(["serve", "--data-dir", dir.Combine("data"), "--port", "0",
            "--tls-cert", dir.Combine("cert.pem"), "--tls-key", dir.Combine("key.pem")]);
        await Assert.That(code).IsEqualTo(1);
        await Assert.That(stderr).Contains("--tls-cert/--tls-key");
        await Assert.That(stderr).DoesNotContain("   at ");
    }
}
