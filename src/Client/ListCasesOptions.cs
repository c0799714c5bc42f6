using Ripcord.Client.Models;

namespace Ripcord.Client;

/// <summary>Filters and paging of <see cref="RipcordClient.ListCasesAsync"/>.</summary>
public sealed class ListCasesOptions
{
    /// <summary>Only cases in this status. Default: any.</summary>
    public CaseStatus? Status { get; set; }

    /// <summary>Only cases of this process. Default: any.</summary>
    public string? Process { get; set; }

    /// <summary>The page size. Default: the server's (100).</summary>
    public int? Limit { get; set; }

    /// <summary>The cursor from a previous page's <see cref="CasePage.Next"/>. Default: the first page.</summary>
    public string? After { get; set; }
}
