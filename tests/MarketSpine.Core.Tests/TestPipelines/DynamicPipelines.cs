using System.Reflection;
using System.Reflection.Emit;
using MarketSpine.Core.Pipelines;

namespace MarketSpine.Core.Tests.TestPipelines;

/// <summary>Builds an in-memory assembly of pipeline types with the attributes a test needs.</summary>
public sealed class DynamicPipelines
{
    private readonly ModuleBuilder _module;

    public DynamicPipelines()
    {
        var assembly = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName($"DynamicPipelines{Guid.NewGuid():N}"), AssemblyBuilderAccess.Run);
        _module = assembly.DefineDynamicModule("Main");
        Assembly = assembly;
    }

    public Assembly Assembly { get; }

    /// <summary>Adds a type <paramref name="typeName"/> deriving from <paramref name="baseType"/> and registered as <paramref name="pipelineName"/>.</summary>
    public DynamicPipelines Add(string typeName, string pipelineName, Type? baseType = null, params CustomAttributeBuilder[] parameters)
    {
        var type = _module.DefineType($"Dynamic.{typeName}", TypeAttributes.Public | TypeAttributes.Class, baseType ?? typeof(NoOpPipeline));
        type.DefineDefaultConstructor(MethodAttributes.Public);
        type.SetCustomAttribute(new CustomAttributeBuilder(typeof(PipelineAttribute).GetConstructor([typeof(string)])!, [pipelineName]));
        foreach (var parameter in parameters)
        {
            type.SetCustomAttribute(parameter);
        }

        type.CreateType();
        return this;
    }

    public static CustomAttributeBuilder Parameter(string name, ParameterType type, string[]? allowedValues = null) =>
        new(
            typeof(ParameterAttribute).GetConstructor([typeof(string), typeof(ParameterType)])!,
            [name, type],
            allowedValues is null ? [] : [typeof(ParameterAttribute).GetProperty(nameof(ParameterAttribute.AllowedValues))!],
            allowedValues is null ? [] : [allowedValues]);
}
