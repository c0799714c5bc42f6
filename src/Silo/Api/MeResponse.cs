namespace Ripcord.Silo.Api;

/// <summary>Who the caller is, for clients (the dashboard hides controls a principal may not use).</summary>
public sealed record MeResponse(string Principal, string[] Roles, bool ReadOnly);
