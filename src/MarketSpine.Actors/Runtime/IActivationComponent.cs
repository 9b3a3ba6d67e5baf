namespace MarketSpine.Actors.Runtime;

/// <summary>
/// A part of an activation with a lifecycle of its own: persistent states read themselves before
/// <c>OnActivateAsync</c>; timers stop when the activation goes.
/// </summary>
internal interface IActivationComponent
{
    Task OnActivateAsync(CancellationToken cancellationToken);

    void OnDeactivate();
}
