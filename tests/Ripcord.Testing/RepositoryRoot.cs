namespace Ripcord.Testing;

/// <summary>The repository the tests run from: the folder holding Orleans.sln, above the test binaries.</summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> _path = new(Find);

    public static string Path => _path.Value;

    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Orleans.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Orleans.sln above {AppContext.BaseDirectory}.");
    }
}
