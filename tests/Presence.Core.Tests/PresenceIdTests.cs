namespace Presence.Core.Tests;

public sealed class PresenceIdTests
{
    public static TheoryData<string> ValidIds { get; } =
    [
        "a", "user-42", "auth0|5f7c8ec7c33c6c004bbafe82", "ünïcödé", "with inner space", " padded ", "emoji-😀", "{tag}:*?[]\"'\\",
        new string('x', PresenceId.MaxLength),
    ];

    public static TheoryData<string?, string> InvalidIds { get; } = new()
    {
        { null, "null" },
        { string.Empty, "empty" },
        { "   ", "white space" },
        { "\u00A0\u2003", "white space" },
        { new string('x', PresenceId.MaxLength + 1), "257 characters long; at most 256" },
        { "a\u0000b", "control characters" },
        { "a\r\nb", "control characters" },
        { "\t", "control characters" },
        { "a\u001Bb", "control characters" },
        { "a\u007Fb", "control characters" },
        { "a\u009Fb", "control characters" },
    };

    // Built from names: xunit serializes theory data as UTF-8, which would turn a lone surrogate into U+FFFD.
    public static TheoryData<string> SurrogateProblems { get; } = ["high-at-end", "high-before-letter", "low-alone", "reversed-pair"];

    [Theory]
    [MemberData(nameof(ValidIds))]
    public void AValidId_PassesEveryCheck(string id)
    {
        Assert.True(PresenceId.IsValid(id));
        Assert.Null(PresenceId.Validate(id));
        PresenceId.ThrowIfInvalid(id);
    }

    [Theory]
    [MemberData(nameof(InvalidIds))]
    public void AnInvalidId_FailsEveryCheck_WithAMessageNamingTheProblem(string? id, string problem)
    {
        Assert.False(PresenceId.IsValid(id));
        Assert.Contains(problem, PresenceId.Validate(id), StringComparison.Ordinal);

        var exception = Assert.ThrowsAny<ArgumentException>(() => PresenceId.ThrowIfInvalid(id));

        Assert.Equal("id", exception.ParamName);
        Assert.Equal(id is null ? typeof(ArgumentNullException) : typeof(ArgumentException), exception.GetType());
        if (id is not null)
        {
            Assert.Contains(problem, exception.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ThrowIfInvalid_NamesTheCallersArgument()
    {
        var tenantId = string.Empty;

        var exception = Assert.Throws<ArgumentException>(() => PresenceId.ThrowIfInvalid(tenantId));
        var explicitName = Assert.Throws<ArgumentNullException>(() => PresenceId.ThrowIfInvalid(null, "userIds"));

        Assert.Equal("tenantId", exception.ParamName);
        Assert.Equal("userIds", explicitName.ParamName);
    }

    [Theory]
    [MemberData(nameof(SurrogateProblems))]
    public void AnIdWithALoneSurrogate_IsRejected_SoTwoIdsCannotShareOneUtf8Encoding(string kind)
    {
        var id = kind switch
        {
            "high-at-end" => "u\uD800",
            "high-before-letter" => "u\uDBFFx",
            "low-alone" => "u\uDC00",
            _ => "u\uDE00\uD83D",
        };

        Assert.False(PresenceId.IsValid(id));
        Assert.Contains("lone surrogate", PresenceId.Validate(id), StringComparison.Ordinal);
        Assert.Contains("lone surrogate", Assert.Throws<ArgumentException>(() => PresenceId.ThrowIfInvalid(id)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SurrogatePairs_AreValid()
    {
        Assert.True(PresenceId.IsValid("pair-\uD83D\uDE00-end"));
        Assert.True(PresenceId.IsValid("\uDBFF\uDFFF"));
        Assert.True(PresenceId.IsValid("\uD800\uDC00\uD800\uDC00"));
    }
}
