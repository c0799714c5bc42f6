using System.Text;

namespace Ripcord.Runtime.Storage.Postgres;

/// <summary>
/// The payload of the one NOTIFY a commit sends: the sending silo, the grains that got messages and the asks that
/// got replies. Too much for one payload (PostgreSQL caps it under 8000 bytes) becomes "poll now".
/// </summary>
internal sealed class WakeUp
{
    // Control characters cannot clash with ordinary ids; an id that contains one is sent as "poll now".
    private const char Field = '\u001f';
    private const char Record = '\u001e';
    private const int MaxBytes = 7800;

    public WakeUp(string silo)
    {
        Silo = silo;
    }

    public string Silo { get; }

    public List<GrainId> Grains { get; } = [];

    public List<Guid> Replies { get; } = [];

    public bool PollAll { get; set; }

    /// <summary>A silo that stopped and handed its leases back.</summary>
    public string? Stopped { get; set; }

    public bool IsEmpty => Grains.Count == 0 && Replies.Count == 0 && !PollAll && Stopped is null;

    public string Encode()
    {
        var builder = new StringBuilder(64 + (Grains.Count * 48));
        builder.Append(Silo);
        if (!PollAll)
        {
            foreach (var grain in Grains)
            {
                if (HasSeparator(grain.CaseId) || HasSeparator(grain.Type) || HasSeparator(grain.Key))
                {
                    PollAll = true;
                    break;
                }

                builder.Append(Record).Append('m').Append(grain.CaseId).Append(Field).Append(grain.Type).Append(Field).Append(grain.Key);
            }

            foreach (var reply in Replies)
            {
                builder.Append(Record).Append('r').Append(reply.ToString("N"));
            }
        }

        if (Stopped is not null)
        {
            builder.Append(Record).Append('s').Append(Stopped);
        }

        if (PollAll || Encoding.UTF8.GetByteCount(builder.ToString()) > MaxBytes)
        {
            return Silo + Record + "p" + (Stopped is null ? "" : Record + "s" + Stopped);
        }

        return builder.ToString();
    }

    public static WakeUp? Decode(string payload)
    {
        var records = payload.Split(Record);
        if (records[0].Length == 0)
        {
            return null;
        }

        var wakeUp = new WakeUp(records[0]);
        for (var i = 1; i < records.Length; i++)
        {
            var record = records[i];
            if (record.Length == 0)
            {
                return null;
            }

            switch (record[0])
            {
                case 'm':
                    var fields = record[1..].Split(Field);
                    if (fields.Length != 3)
                    {
                        return null;
                    }

                    wakeUp.Grains.Add(new GrainId(fields[1], fields[2], fields[0]));
                    break;
                case 'r':
                    if (!Guid.TryParseExact(record.AsSpan(1), "N", out var correlation))
                    {
                        return null;
                    }

                    wakeUp.Replies.Add(correlation);
                    break;
                case 'p':
                    wakeUp.PollAll = true;
                    break;
                case 's':
                    wakeUp.Stopped = record[1..];
                    break;
                default:
                    return null;
            }
        }

        return wakeUp;
    }

    private static bool HasSeparator(string value) => value.AsSpan().IndexOfAny(Field, Record) >= 0;
}
