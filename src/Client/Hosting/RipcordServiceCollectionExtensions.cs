using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Ripcord.Client;
using Ripcord.Client.Agents;

// The conventional namespace for IServiceCollection extensions, so they show up without an extra using.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Ripcord client and hosted agents in a service collection.</summary>
public static class RipcordServiceCollectionExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="RipcordClient"/>. Safe to call more than once: the client is registered once,
    /// and every <paramref name="configure"/> given applies, in call order.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the server address and API key; optional (they can also be bound from configuration with <c>services.Configure&lt;RipcordClientOptions&gt;(...)</c>).</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddRipcordClient(this IServiceCollection services, Action<RipcordClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<RipcordClientOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (services.Any(descriptor => descriptor.ServiceType == typeof(RipcordClientMarker)))
        {
            return services;
        }

        services.AddSingleton<RipcordClientMarker>();
        options
            .Validate(o => o.BaseAddress is { IsAbsoluteUri: true }, "Ripcord client: BaseAddress must be an absolute URI such as http://localhost:5000.")
            .Validate(o => o.RequestTimeout > TimeSpan.Zero, "Ripcord client: RequestTimeout must be positive.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider => new RipcordClient(provider.GetRequiredService<IOptions<RipcordClientOptions>>().Value));
        return services;
    }

    /// <summary>
    /// Hosts an agent type: a background service polls for its tasks, runs <typeparamref name="TAgent"/> (resolved
    /// from a fresh DI scope per task), heartbeats, fires the agent's token on cancel signals (pushed or returned by a
    /// heartbeat) and reports the outcome. Also registers the <see cref="RipcordClient"/> if not done yet.
    /// </summary>
    /// <typeparam name="TAgent">The agent class.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="agentType">The agent type, as process definitions name it in a node's <c>agent</c>.</param>
    /// <param name="configure">Concurrency, agent id, kill hook and other settings; optional.</param>
    /// <returns>The service collection, for chaining.</returns>
    /// <exception cref="InvalidOperationException">The agent type is already registered.</exception>
    public static IServiceCollection AddRipcordAgent<TAgent>(this IServiceCollection services, string agentType, Action<RipcordAgentOptions>? configure = null)
        where TAgent : class, IRipcordAgent
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(agentType);
        var options = new RipcordAgentOptions();
        configure?.Invoke(options);
        if (options.MaxConcurrentTasks < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(configure), options.MaxConcurrentTasks, $"Agent type '{agentType}': MaxConcurrentTasks must be at least 1.");
        }

        if (options.PollWaitSeconds < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(configure), options.PollWaitSeconds, $"Agent type '{agentType}': PollWaitSeconds cannot be negative.");
        }

        if (services.Any(descriptor => descriptor.ServiceKey is string key && key == agentType && descriptor.ServiceType == typeof(RipcordAgentMarker)))
        {
            throw new InvalidOperationException($"Agent type '{agentType}' is already registered; register each agent type once and raise MaxConcurrentTasks for more parallelism.");
        }

        services.AddKeyedSingleton<RipcordAgentMarker>(agentType);
        services.AddRipcordClient();
        services.TryAddTransient<TAgent>();
        services.AddSingleton<IHostedService>(provider => new RipcordAgentWorker(agentType, typeof(TAgent), options, provider));
        return services;
    }
}
