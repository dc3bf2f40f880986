using Microsoft.Extensions.Logging;

namespace Presence.Core.Tests.Support;

internal sealed record LogEntry(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception);
