using System.Buffers;

namespace Ripcord.Silo.Api;

/// <summary>Checks of identifiers and numbers that JSON typing alone does not catch.</summary>
public static class Validation
{
    public const int MaxIdLength = 128;
    public const int MaxReasonLength = 2000;

    private static readonly SearchValues<char> IdChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:@");

    /// <summary>The fault of an id (case, task, agent, resource), or null when it is fine.</summary>
    public static string? Id(string what, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return $"{what} must not be empty";
        }

        if (value.Length > MaxIdLength)
        {
            return $"{what} must be at most {MaxIdLength} characters";
        }

        return value.AsSpan().ContainsAnyExcept(IdChars)
            ? $"{what} '{value}' may contain only letters, digits and - _ . : @"
            : null;
    }

    public static string? Reason(string? reason) =>
        reason is { Length: > MaxReasonLength } ? $"reason must be at most {MaxReasonLength} characters" : null;

    public static string? Seconds(string what, double? value, double max = 86_400 * 30) =>
        value is { } v && (double.IsNaN(v) || v < 0 || v > max) ? $"{what} must be between 0 and {max}" : null;

    public static IResult? Fail(params string?[] faults)
    {
        foreach (var fault in faults)
        {
            if (fault is not null)
            {
                return Problems.BadRequest(fault);
            }
        }

        return null;
    }
}
