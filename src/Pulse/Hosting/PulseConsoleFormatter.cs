using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Pulse.Hosting;

/// <summary>
/// One short, indented line per event, as the CLI printed before it logged through ILogger: the message only (no level,
/// category or timestamp), and an exception as its type and message, never a stack trace.
/// </summary>
public sealed class PulseConsoleFormatter() : ConsoleFormatter(Name)
{
    public new const string Name = "pulse";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (string.IsNullOrEmpty(message) && logEntry.Exception is null) return;
        textWriter.Write("  ");
        textWriter.Write(message);
        if (logEntry.Exception is { } e) textWriter.Write($" ({e.GetType().Name}: {e.Message})");
        textWriter.WriteLine();
    }
}
