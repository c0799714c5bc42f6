namespace Ripcord.Dashboard.Tests.Infrastructure;

/// <summary>Folders of the repository the tests read or write, found by walking up to <c>Orleans.sln</c>.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string DashboardWebRoot => Path.Combine(Root, "src", "Silo", "wwwroot");

    /// <summary>Where screenshots go: <c>RIPCORD_SCREENSHOTS</c>, else <c>TestResults/screenshots</c> of this project.</summary>
    public static string Screenshots => Environment.GetEnvironmentVariable("RIPCORD_SCREENSHOTS") is { Length: > 0 } folder
        ? Path.GetFullPath(folder)
        : Path.Combine(Root, "tests", "Ripcord.Dashboard.Tests", "TestResults", "screenshots");

    public static string DocImages => Path.Combine(Root, "docs", "images");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Orleans.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Orleans.sln above {AppContext.BaseDirectory}.");
    }
}
