using MarketSpine.Core.Pipelines;

namespace MarketSpine.Grains.Executions;

/// <summary>
/// The <see cref="IProgress{T}"/> a pipeline reports to. Reports go to the execution grain one at a
/// time, in order, from one sender: every step the pipeline entered is sent (its latest report), so
/// the stored stages come out whole however fast the steps follow one another; within a step, at most
/// one report per interval is sent, the latest, so a pipeline reporting every row costs a few writes
/// a second.
/// </summary>
internal sealed class ProgressForwarder(Func<PipelineProgress, Task> forward, TimeSpan interval, TimeProvider time) : IProgress<PipelineProgress>
{
    private readonly Lock _lock = new();

    /// <summary>What is still to send: the latest report of each step not sent yet, in the order the steps came.</summary>
    private readonly List<PipelineProgress> _pending = [];
    private string? _lastSentStep;
    private long _lastSentAt;
    private Task _sender = Task.CompletedTask;
    private bool _sending;
    private bool _flushing;
    private CancellationTokenSource? _pause;

    public void Report(PipelineProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_lock)
        {
            if (_pending.Count > 0 && _pending[^1].CurrentStep == value.CurrentStep)
            {
                _pending[^1] = value;
            }
            else
            {
                _pending.Add(value);
            }

            if (!_sending)
            {
                _sending = true;
                _sender = SendAsync();
            }
        }
    }

    /// <summary>Sends what is pending now, the interval notwithstanding, and returns once it is sent.</summary>
    public async Task FlushAsync()
    {
        Task sender;
        lock (_lock)
        {
            _flushing = true;
            _pause?.Cancel();
            sender = _sender;
        }

        await sender;
    }

    private async Task SendAsync()
    {
        await Task.Yield();
        while (true)
        {
            PipelineProgress next;
            var wait = TimeSpan.Zero;
            CancellationTokenSource? pause = null;
            lock (_lock)
            {
                if (_pending.Count == 0)
                {
                    _sending = false;
                    return;
                }

                next = _pending[0];
                if (!_flushing && _pending.Count == 1 && next.CurrentStep == _lastSentStep && time.GetElapsedTime(_lastSentAt) is var since && since < interval)
                {
                    wait = interval - since;
                    _pause = pause = new CancellationTokenSource();
                }
                else
                {
                    _pending.RemoveAt(0);
                    _lastSentStep = next.CurrentStep;
                    _lastSentAt = time.GetTimestamp();
                }
            }

            if (pause is not null)
            {
                await PauseAsync(wait, pause);
                continue;
            }

            try
            {
                await forward(next);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // Progress is advisory: a failed report must not fail the run; the next one carries on.
            }
        }
    }

    private async Task PauseAsync(TimeSpan wait, CancellationTokenSource pause)
    {
        try
        {
            await Task.Delay(wait, time, pause.Token);
        }
        catch (OperationCanceledException)
        {
            // A flush: send now.
        }
        finally
        {
            lock (_lock)
            {
                _pause = null;
            }

            pause.Dispose();
        }
    }
}
