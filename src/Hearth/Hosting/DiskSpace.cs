namespace Hearth.Hosting;

/// <summary>
/// Refuses to start PostgreSQL on a disk that is (nearly) full. With no room PostgreSQL cannot even
/// write postmaster.pid, and a cluster started with a few MiB left PANICs at the next WAL segment; one
/// clear line at startup beats both. Once running, a full disk is PostgreSQL's to report (53100).
/// </summary>
public static class DiskSpace
{
    /// <summary>Two WAL segments: enough to start, recover and checkpoint.</summary>
    public const long MinFreeBytes = 32L << 20;

    /// <summary>A new cluster is first unpacked from the template (about 40 MiB).</summary>
    public const long NewClusterBytes = 48L << 20;

    /// <summary>
    /// Below this a restart after a crash is not even attempted: PostgreSQL could not write its pid file,
    /// and each failed attempt would only add pg_ctl's complaints to the log. Checked twice a second.
    /// </summary>
    public const long MinFreeToRestartBytes = 1L << 20;

    public static void EnsureRoomToStart(string dataDir, bool newCluster)
    {
        var needed = MinFreeBytes + (newCluster ? NewClusterBytes : 0);
        if (FreeBytes(dataDir) is { } free && free < needed)
            throw new HearthStartupException(
                $"Not enough free disk space for the data dir '{dataDir}': {Mib(free)} MiB free, PostgreSQL needs at least {Mib(needed)} MiB" +
                (newCluster ? " to create and start a new cluster" : " to start") + ". Free some space or use another --data-dir.");
    }

    /// <summary>Bytes available to us on the data dir's file system, or null when the platform cannot tell.</summary>
    public static long? FreeBytes(string dataDir)
    {
        try
        {
            return new DriveInfo(dataDir).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return null; // let PostgreSQL report it if it comes to that
        }
    }

    private static long Mib(long bytes) => bytes >> 20;
}
