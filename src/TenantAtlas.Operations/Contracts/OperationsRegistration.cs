using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace TenantAtlas.Operations.Contracts;

/// <summary>How a module plugs its job (and its link provider) into an operation type, without Operations referencing it.</summary>
public static class OperationsRegistration
{
    public static IServiceCollection AddOperationJob<TJob>(this IServiceCollection services, string typeKey)
        where TJob : class, IOperationJob
    {
        services.AddKeyedScoped<IOperationJob, TJob>(typeKey);
        services.AddSingleton(new OperationJobRegistration(typeKey));
        return services;
    }

    public static IServiceCollection AddOperationLinks<TProvider>(this IServiceCollection services, string typeKey)
        where TProvider : class, IOperationLinkProvider
    {
        services.TryAddKeyedScoped<IOperationLinkProvider, TProvider>(typeKey);
        return services;
    }

    /// <summary>
    /// Declares what a type accepts as inputs: the starter asks <typeparamref name="TValidator"/> before it creates a run
    /// (see <see cref="IOperationInputsValidator"/>). One validator per type; a type without one accepts any JSON object.
    /// </summary>
    public static IServiceCollection AddOperationInputs<TValidator>(this IServiceCollection services, string typeKey)
        where TValidator : class, IOperationInputsValidator
    {
        services.TryAddKeyedSingleton<IOperationInputsValidator, TValidator>(typeKey);
        return services;
    }

    /// <summary>An operation type beyond the seven built-in ones (tests use this for test-only types).</summary>
    public static IServiceCollection AddOperationType(this IServiceCollection services, OperationTypeDefinition definition) =>
        services.AddSingleton(definition);
}

/// <summary>Marks that a job exists for a type key.</summary>
public sealed record OperationJobRegistration(string TypeKey);
