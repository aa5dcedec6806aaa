namespace TenantAtlas.Graph.Pipeline;

internal static class GraphUrls
{
    /// <summary>"/{version}/{path}?{query}" of an absolute URL below the tenant's Graph root, or null when it is elsewhere.</summary>
    public static string? RelativeToRoot(Uri graphRoot, Uri url)
    {
        if (!url.IsAbsoluteUri
            || !string.Equals(url.Scheme, graphRoot.Scheme, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(url.Host, graphRoot.Host, StringComparison.OrdinalIgnoreCase)
            || url.Port != graphRoot.Port)
        {
            return null;
        }

        var rootPath = graphRoot.AbsolutePath.TrimEnd('/');
        var path = url.AbsolutePath;
        if (rootPath.Length > 0)
        {
            if (!path.StartsWith(rootPath + "/", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            path = path[rootPath.Length..];
        }

        return path + url.Query;
    }

    /// <summary>An absolute URL below the tenant's Graph root: root + "/" + version + "/" + relative path and query.</summary>
    public static Uri Build(Uri graphRoot, string version, string relativePathAndQuery) =>
        new(graphRoot.AbsoluteUri.TrimEnd('/') + "/" + version + "/" + relativePathAndQuery.TrimStart('/'));
}
