using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace Ripcord.Silo.Dashboard;

/// <summary>
/// Serves the dashboard (static files under <c>wwwroot</c>) at <c>/</c>. Endpoint based, so it needs no middleware and
/// loses to every API route: a file that exists is served as is, any other path outside the reserved prefixes gets
/// <c>index.html</c> so the dashboard's client-side routes (<c>/cases/{id}</c>, <c>/metrics</c>...) survive a reload.
/// </summary>
public static class DashboardEndpoints
{
    /// <summary>
    /// Paths never answered with the dashboard: an unknown API route must stay a 404, not an HTML page. <c>/orleans/</c>
    /// is the Orleans dashboard's (mapped by the silo host), so an unknown path there is a 404 too.
    /// </summary>
    private static readonly string[] ReservedPrefixes = ["/api/", "/openapi/", "/healthz", "/readyz", "/sim/", "/orleans/"];

    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    /// <summary>Route builders the dashboard is already mapped on: a second call is a no-op, not an ambiguous route.</summary>
    private static readonly ConditionalWeakTable<IEndpointRouteBuilder, object> Mapped = [];

    /// <summary>Maps the dashboard onto <paramref name="endpoints"/>; safe to call twice.</summary>
    /// <param name="endpoints">The silo's endpoints.</param>
    /// <param name="files">Where the dashboard's files are; the web root (<c>wwwroot</c>) when null.</param>
    public static IEndpointRouteBuilder MapRipcordDashboard(this IEndpointRouteBuilder endpoints, IFileProvider? files = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (!Mapped.TryAdd(endpoints, new object()))
        {
            return endpoints;
        }

        var provider = files ?? FindFiles(endpoints.ServiceProvider.GetRequiredService<IWebHostEnvironment>());

        endpoints.MapMethods("/", [HttpMethods.Get, HttpMethods.Head], (HttpContext context) => Serve(context, provider, "/index.html"))
            .ExcludeFromDescription();
        endpoints.MapFallback("{**path}", (HttpContext context) => Fallback(context, provider)).ExcludeFromDescription();
        return endpoints;
    }

    /// <summary>
    /// The web root when it holds the dashboard (<c>dotnet run --project src/Silo</c>, a published silo); otherwise a
    /// <c>wwwroot</c> beside the silo's assembly, for hosts whose content root is elsewhere (a test's output folder).
    /// </summary>
    private static IFileProvider FindFiles(IWebHostEnvironment environment)
    {
        if (environment.WebRootFileProvider.GetFileInfo("index.html").Exists)
        {
            return environment.WebRootFileProvider;
        }

        foreach (var folder in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(typeof(DashboardEndpoints).Assembly.Location) })
        {
            if (!string.IsNullOrEmpty(folder) && File.Exists(Path.Combine(folder, "wwwroot", "index.html")))
            {
                return new PhysicalFileProvider(Path.Combine(folder, "wwwroot"));
            }
        }

        return environment.WebRootFileProvider;
    }

    private static IResult Fallback(HttpContext context, IFileProvider provider)
    {
        var path = context.Request.Path.Value ?? "/";
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            return Results.NotFound();
        }

        foreach (var prefix in ReservedPrefixes)
        {
            if (path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) || string.Equals(path, prefix.TrimEnd('/'), StringComparison.OrdinalIgnoreCase))
            {
                return Results.NotFound();
            }
        }

        if (path.Contains("..", StringComparison.Ordinal))
        {
            return Results.NotFound();
        }

        var file = provider.GetFileInfo(path);
        if (file.Exists && !file.IsDirectory)
        {
            return Serve(context, provider, path);
        }

        // A missing asset (a path with an extension under a dashboard folder) is a real 404; anything else is a client route.
        var lastSegment = path[(path.LastIndexOf('/') + 1)..];
        if (path.StartsWith("/js/", StringComparison.Ordinal) || path.StartsWith("/css/", StringComparison.Ordinal)
            || lastSegment.EndsWith(".js", StringComparison.OrdinalIgnoreCase) || lastSegment.EndsWith(".css", StringComparison.OrdinalIgnoreCase)
            || lastSegment.EndsWith(".ico", StringComparison.OrdinalIgnoreCase) || lastSegment.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
        {
            return Results.NotFound();
        }

        return Serve(context, provider, "/index.html");
    }

    private static IResult Serve(HttpContext context, IFileProvider provider, string path)
    {
        var file = provider.GetFileInfo(path);
        if (!file.Exists || file.IsDirectory)
        {
            return Results.NotFound();
        }

        if (!ContentTypes.TryGetContentType(file.Name, out var contentType))
        {
            contentType = "application/octet-stream";
        }

        if (contentType.StartsWith("text/", StringComparison.Ordinal) || contentType is "application/javascript" or "text/javascript" or "image/svg+xml")
        {
            contentType += "; charset=utf-8";
        }

        // Revalidate every time: the files are small and a stale app.js after an upgrade would talk to the wrong API.
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        if (contentType.StartsWith("text/html", StringComparison.Ordinal))
        {
            context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
            context.Response.Headers["Referrer-Policy"] = "no-referrer";
        }

        var lastModified = file.LastModified;
        var tag = new EntityTagHeaderValue($"\"{lastModified.UtcTicks:x}-{file.Length:x}\"");
        return Results.Stream(file.CreateReadStream(), contentType, lastModified: lastModified, entityTag: tag);
    }
}
