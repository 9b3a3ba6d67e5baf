using MarketSpine.Api.Errors;
using MarketSpine.Core.Contracts;
using MarketSpine.Core.Errors;
using MarketSpine.Grains.Dispatch;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MarketSpine.Api.LogicalKeys;

/// <summary><c>/v1/logical-keys/{key}</c>: who holds a logical key, and who waits for it in order.</summary>
public static class LogicalKeyEndpoints
{
    public static void Map(IEndpointRouteBuilder v1) =>
        v1.MapGet("/logical-keys/{key}", Get).WithTags("Logical keys").WithName("GetLogicalKey")
            .WithSummary("The key's holder (null when free), since when, and its waiters, first in line first.")
            .Produces<ApiErrorResponse>(StatusCodes.Status400BadRequest);

    private static async Task<Ok<KeyView>> Get(string key, ExecutionDispatcher dispatcher, CancellationToken cancellationToken)
    {
        if (key.Length is 0 or > 200)
        {
            throw new ValidationError(new Core.Errors.ValidationProblem("key", "out_of_range", "A logical key has 1 to 200 characters."));
        }

        var view = await dispatcher.GetLogicalKeyAsync(key, cancellationToken);
        return TypedResults.Ok(new KeyView(view.Key, view.Holder, view.HeldSince, view.Waiters));
    }
}
