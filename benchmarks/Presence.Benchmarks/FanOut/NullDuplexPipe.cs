using System.IO.Pipelines;

namespace Presence.Benchmarks.FanOut;

/// <summary>A transport whose output goes nowhere: a benchmark connection pays serialization and the pipe write, no network.</summary>
internal sealed class NullDuplexPipe : IDuplexPipe
{
    public PipeReader Input { get; } = PipeReader.Create(Stream.Null);

    public PipeWriter Output { get; } = PipeWriter.Create(Stream.Null);
}
