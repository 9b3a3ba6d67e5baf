using System.Collections.Concurrent;
using System.Reflection;
using MarketSpine.Actors.Errors;

namespace MarketSpine.Actors.Messaging;

/// <summary>
/// Rebuilds an exception from another process by type name and message, so that a caller catches
/// the same type whether the grain ran locally or not (the runtime's own errors, such as
/// <see cref="GrainCallTimeoutException"/>, included). Types are looked up only in the assemblies the
/// caller names (the base library, the runtime, the grain's own), never loaded by name from the
/// wire. The exception is rebuilt through its <c>(string message, Exception inner)</c> constructor,
/// the one whose first argument means the message in every standard exception (the single-string
/// constructor of <see cref="ArgumentNullException"/> takes a parameter name). Anything else becomes a
/// <see cref="RemoteGrainException"/> carrying the type name.
/// </summary>
internal static class RemoteExceptions
{
    private static readonly ConcurrentDictionary<(Assembly, string), ConstructorInfo?> Constructors = new();

    public static Exception Rebuild(string typeName, string message, IEnumerable<Assembly> assemblies)
    {
        foreach (var assembly in assemblies)
        {
            var constructor = Constructors.GetOrAdd((assembly, typeName), static key =>
            {
                var type = key.Item1.GetType(key.Item2, throwOnError: false);
                return type is { IsAbstract: false } && typeof(Exception).IsAssignableFrom(type) ? type.GetConstructor([typeof(string), typeof(Exception)]) : null;
            });
            if (constructor is not null)
            {
                return (Exception)constructor.Invoke([message, null]);
            }
        }

        return new RemoteGrainException(typeName, message);
    }
}
