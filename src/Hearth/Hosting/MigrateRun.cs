using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Hearth.Hosting;

/// <summary>`hearth migrate`: the same startup as serve (database, migrations), then a clean stop.</summary>
public static class MigrateRun
{
    public static async Task<int> RunAsync(HearthOptions options, CancellationToken ct)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddHearthConsole();
        builder.Services.AddHearthDatabase(options);
        using var host = builder.Build();
        await host.StartAsync(ct);
        await host.StopAsync(CancellationToken.None);
        return 0;
    }
}
