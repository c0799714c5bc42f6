using System.Text.Json.Serialization;

namespace Ripcord.Contracts;

/// <summary>
/// Writes and reads an enum by its API name only: a number where a name is expected is a malformed request, not a
/// silent choice of whichever member has that value.
/// </summary>
public sealed class ApiEnumConverter<TEnum> : JsonStringEnumConverter<TEnum>
    where TEnum : struct, Enum
{
    public ApiEnumConverter()
        : base(namingPolicy: null, allowIntegerValues: false)
    {
    }
}
