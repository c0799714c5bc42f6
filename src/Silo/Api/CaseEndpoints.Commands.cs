using Microsoft.Extensions.Options;
using Ripcord.Silo.Security;

namespace Ripcord.Silo.Api;

/// <summary>The shape every case command with a body shares.</summary>
public static partial class CaseEndpoints
{
    /// <summary>
    /// A read-only silo refuses the command; otherwise its body is read with <paramref name="read"/>
    /// (<see cref="JsonBody.ReadAsync{T}"/>, or <see cref="JsonBody.ReadOptionalAsync{T}"/> where no body means the
    /// defaults), checked with <paramref name="check"/>, and only then sent with <paramref name="send"/>: bad input
    /// never reaches a grain.
    /// </summary>
    private static async Task<IResult> CommandAsync<TBody>(
        HttpRequest request,
        IOptions<AuthOptions> auth,
        Func<HttpRequest, CancellationToken, Task<(TBody? Value, IResult? Error)>> read,
        Func<TBody, IResult?> check,
        Func<TBody, Task<IResult>> send,
        CancellationToken cancellationToken)
        where TBody : class
    {
        if (ReadOnly(auth) is { } refused)
        {
            return refused;
        }

        var (body, error) = await read(request, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        return check(body!) ?? await send(body!);
    }
}
