using System.Text.Json;
using Ripcord.Client.Models;

namespace Ripcord.Client.Agents;

/// <summary>
/// The agent's checkpoint and snapshot: what it saves to resume from, and which saved checkpoint the server has
/// taken already, so a heartbeat carries a checkpoint only when a newer one was saved.
/// </summary>
public sealed partial class AgentContext
{
    private JsonElement? _checkpoint;
    private int _checkpointVersion;
    private int _checkpointSentVersion;
    private JsonElement? _snapshot;

    /// <summary>The last checkpoint saved with <see cref="SaveCheckpoint{T}"/> (what a cancel acknowledgement would carry), or <see langword="null"/>.</summary>
    public JsonElement? SavedCheckpoint
    {
        get
        {
            lock (_lock)
            {
                return _checkpoint;
            }
        }
    }

    /// <summary>The last snapshot saved with <see cref="SaveSnapshot{T}"/>, or <see langword="null"/>.</summary>
    public JsonElement? SavedSnapshot
    {
        get
        {
            lock (_lock)
            {
                return _snapshot;
            }
        }
    }

    /// <summary>
    /// Keeps state to resume from. It reaches the server with the next heartbeat (and with the cancel acknowledgement):
    /// a fallback that starts while this agent has not stopped, and an attempt retried after a lost lease, get the
    /// latest one the server has.
    /// </summary>
    /// <typeparam name="T">The checkpoint's type.</typeparam>
    /// <param name="checkpoint">The state; serialized now, so later changes to the object are not seen.</param>
    public void SaveCheckpoint<T>(T checkpoint)
    {
        var element = JsonSerializer.SerializeToElement(checkpoint, RipcordJson.Options);
        lock (_lock)
        {
            _checkpoint = element;
            _checkpointVersion++;
        }
    }

    /// <summary>Keeps state to resume from, like <see cref="SaveCheckpoint{T}"/>, and sends it with a heartbeat now.</summary>
    /// <typeparam name="T">The checkpoint's type.</typeparam>
    /// <param name="checkpoint">The state; serialized now.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>A task that completes when the heartbeat was answered; if it failed, the checkpoint goes with the next one.</returns>
    public Task SaveCheckpointAsync<T>(T checkpoint, CancellationToken cancellationToken = default)
    {
        SaveCheckpoint(checkpoint);
        return HeartbeatAsync(cancellationToken);
    }

    /// <summary>Keeps an audit snapshot of where the work stands; the latest one is sent with the cancel acknowledgement.</summary>
    /// <typeparam name="T">The snapshot's type.</typeparam>
    /// <param name="snapshot">The snapshot; serialized now.</param>
    public void SaveSnapshot<T>(T snapshot)
    {
        var element = JsonSerializer.SerializeToElement(snapshot, RipcordJson.Options);
        lock (_lock)
        {
            _snapshot = element;
        }
    }

    /// <summary>What the next heartbeat reports: a checkpoint only when one was saved since the server last took one.</summary>
    internal (HeartbeatOptions Options, int CheckpointVersion) CurrentHeartbeat()
    {
        lock (_lock)
        {
            var checkpoint = _checkpointVersion != _checkpointSentVersion ? _checkpoint : null;
            return (new HeartbeatOptions { Progress = _progress, Usage = _usage, Estimate = _estimate, Checkpoint = checkpoint }, _checkpointVersion);
        }
    }

    /// <summary>The server took the checkpoint of <paramref name="version"/>: later heartbeats leave it out until a newer one is saved.</summary>
    internal void CheckpointSent(int version)
    {
        lock (_lock)
        {
            _checkpointSentVersion = Math.Max(_checkpointSentVersion, version);
        }
    }

    internal CancelAckOptions CurrentAck()
    {
        lock (_lock)
        {
            return new CancelAckOptions { Checkpoint = _checkpoint, Snapshot = _snapshot, Usage = _usage };
        }
    }
}
