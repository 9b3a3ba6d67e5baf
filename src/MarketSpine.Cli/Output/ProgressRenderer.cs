using MarketSpine.Core.Pipelines;
using Spectre.Console;

namespace MarketSpine.Cli.Output;

/// <summary>
/// Shows a run's progress: a live bar per step on a terminal; on a pipe or in CI, one line per
/// step on the error stream so the output stays parseable.
/// </summary>
public static class ProgressRenderer
{
    public static async Task<T> RunAsync<T>(IAnsiConsole console, TextWriter error, Func<IProgress<PipelineProgress>, Task<T>> work)
    {
        if (!console.Profile.Capabilities.Interactive)
        {
            return await work(new StepLines(error));
        }

        return await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context => await work(new Bars(context)));
    }

    private sealed class Bars(ProgressContext context) : IProgress<PipelineProgress>
    {
        private readonly Dictionary<string, ProgressTask> _tasks = new(StringComparer.Ordinal);
        private readonly Lock _gate = new();

        public void Report(PipelineProgress value)
        {
            lock (_gate)
            {
                if (!_tasks.TryGetValue(value.CurrentStep, out var task))
                {
                    foreach (var open in _tasks.Values.Where(t => !t.IsFinished))
                    {
                        open.Value = open.MaxValue;
                        open.StopTask();
                    }

                    task = context.AddTask(Markup.Escape(value.CurrentStep));
                    _tasks[value.CurrentStep] = task;
                }

                task.IsIndeterminate = value.Total is null;
                if (value.Total is { } total)
                {
                    task.MaxValue = Math.Max(total, 1);
                    task.Value = value.Completed;
                }
            }
        }
    }

    private sealed class StepLines(TextWriter error) : IProgress<PipelineProgress>
    {
        private string? _step;

        public void Report(PipelineProgress value)
        {
            if (string.Equals(value.CurrentStep, _step, StringComparison.Ordinal))
            {
                return;
            }

            _step = value.CurrentStep;
            error.WriteLine(value.Total is { } total ? $"… {value.CurrentStep} ({total:N0} rows)" : $"… {value.CurrentStep}");
        }
    }
}
