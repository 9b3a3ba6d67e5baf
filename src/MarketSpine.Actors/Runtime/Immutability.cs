using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Reflection;
using MarketSpine.Actors.Grains;

namespace MarketSpine.Actors.Runtime;

/// <summary>
/// Decides whether a value of a type can be shared between caller and callee without a copy:
/// nothing reachable from it can change. Primitives, strings, enums, the date/time and id value
/// types, <c>System.Collections.Immutable</c> collections of such types, grain references, types
/// marked <see cref="ImmutableAttribute"/>, and classes and structs all of whose fields are such
/// types (for classes also read-only fields: records with positional or <c>init</c> properties
/// qualify). Answers are cached per type.
/// </summary>
internal static class Immutability
{
    private static readonly ConcurrentDictionary<Type, bool> Cache = new();

    private static readonly HashSet<Type> KnownImmutable =
    [
        typeof(string), typeof(decimal), typeof(DateTime), typeof(DateTimeOffset), typeof(TimeSpan),
        typeof(DateOnly), typeof(TimeOnly), typeof(Guid), typeof(Uri), typeof(Version), typeof(object),
    ];

    private static readonly HashSet<Type> ImmutableCollections =
    [
        typeof(ImmutableArray<>), typeof(ImmutableList<>), typeof(ImmutableHashSet<>), typeof(ImmutableSortedSet<>),
        typeof(ImmutableDictionary<,>), typeof(ImmutableSortedDictionary<,>), typeof(ImmutableQueue<>), typeof(ImmutableStack<>),
    ];

    /// <summary>Whether every value of exactly this runtime type is immutable.</summary>
    public static bool IsImmutable(Type type) => Cache.TryGetValue(type, out var known) ? known : Cache.GetOrAdd(type, Compute(type, []));

    /// <summary>
    /// Whether every value assignable to a parameter of <paramref name="declared"/> type is immutable,
    /// so no per-call check is needed: the type is immutable and no subclass can add state.
    /// </summary>
    public static bool IsImmutableForAnyValue(Type declared) =>
        (declared.IsValueType || declared.IsSealed) && declared != typeof(object) && IsImmutable(declared);

    private static bool Compute(Type type, HashSet<Type> visiting)
    {
        if (type.IsPrimitive || type.IsEnum || KnownImmutable.Contains(type) || typeof(GrainProxy).IsAssignableFrom(type))
        {
            // object itself has no state; values typed object are checked by their runtime type.
            return true;
        }

        if (type.IsArray || typeof(Delegate).IsAssignableFrom(type) || type.IsPointer || type.IsInterface || type.IsAbstract)
        {
            return false;
        }

        if (type.GetCustomAttribute<ImmutableAttribute>() is not null)
        {
            return true;
        }

        if (type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Nullable<>) || ImmutableCollections.Contains(type.GetGenericTypeDefinition())))
        {
            return type.GetGenericArguments().All(argument => IsImmutableForAnyValue(argument) || argument == typeof(string));
        }

        if (!visiting.Add(type))
        {
            // A type that refers to itself (a linked node) is immutable if the rest of it is.
            return true;
        }

        for (var current = type; current is not null && current != typeof(object) && current != typeof(ValueType); current = current.BaseType)
        {
            foreach (var field in current.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                // A struct is copied when it is unboxed, so its own fields may be writable; what they
                // point to must still be immutable. A class's fields must be read-only as well.
                if (!type.IsValueType && !field.IsInitOnly)
                {
                    return false;
                }

                var fieldType = field.FieldType;
                if (!(fieldType.IsValueType || fieldType.IsSealed) || fieldType == typeof(object) || !(KnownOrCompute(fieldType, visiting)))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool KnownOrCompute(Type type, HashSet<Type> visiting) =>
        Cache.TryGetValue(type, out var known) ? known : Compute(type, visiting);
}
