using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Presence.Docs.Tests;

/// <summary>
/// The C# a newcomer copies compiles, with only the usings the snippets themselves carry (plus the
/// implicit usings of <c>dotnet new web</c>). The fenced <c>csharp</c> blocks of one page are one app:
/// type declarations become files; statements become Program.cs, with
/// <c>var builder = WebApplication.CreateBuilder(args);</c> before them and
/// <c>var app = builder.Build();</c> before the first one that uses <c>app</c>; a block of hub members
/// goes into the page's own hub. A block may name types the page defines in another block, never
/// types the page never defines.
/// </summary>
public sealed partial class SnippetCompilationTests
{
    private static readonly string[] s_implicitUsings =
    [
        "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Net.Http.Json",
        "System.Threading", "System.Threading.Tasks", "Microsoft.AspNetCore.Builder", "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Http", "Microsoft.AspNetCore.Routing", "Microsoft.Extensions.Configuration",
        "Microsoft.Extensions.DependencyInjection", "Microsoft.Extensions.Hosting", "Microsoft.Extensions.Logging",
    ];

    // custom-store.md's code is the packaging test's StoreSpecConsumer, compiled there (CustomStoreDocTests keeps them equal).
    public static TheoryData<string> Pages { get; } =
    [
        "README.md", "docs/getting-started.md", "docs/events.md", "docs/redis.md",
        "docs/features.md", "docs/interest.md", "docs/observability.md", "docs/signalr.md", "docs/scale-out.md",
    ];

    [Theory]
    [MemberData(nameof(Pages))]
    public void EverySnippetOfThePage_CompilesAsOneApp(string page)
    {
        var blocks = CSharpBlock().Matches(File.ReadAllText(Path.Combine(Root(), page))).Select(static m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(blocks);

        var usings = new SortedSet<string>(StringComparer.Ordinal);
        var program = new StringBuilder("var builder = WebApplication.CreateBuilder(args);\n");
        var hubMembers = new StringBuilder();
        var files = new List<string>();
        var appBuilt = false;
        foreach (var block in blocks)
        {
            var unit = CSharpSyntaxTree.ParseText(block, Options).GetCompilationUnitRoot();
            foreach (var u in unit.Usings)
            {
                usings.Add(u.ToString().Trim());
            }

            var statements = unit.Members.OfType<GlobalStatementSyntax>().ToList();
            var types = unit.Members.Where(static m => m is BaseTypeDeclarationSyntax or DelegateDeclarationSyntax).ToList();
            var strays = unit.Members.Except(statements).Except(types).ToList();
            if (strays.Count > 0 || (statements.Count > 0 && statements.All(static s => s.Statement is LocalFunctionStatementSyntax { Modifiers.Count: > 0 })))
            {
                // Members of the reader's own hub (a method with an access modifier parses as a stray member).
                hubMembers.AppendLine(string.Join("\n", unit.Members.Select(static m => m.ToFullString())));
                continue;
            }

            foreach (var statement in statements)
            {
                var text = statement.ToFullString();
                if (!appBuilt && AppUse().IsMatch(text))
                {
                    program.AppendLine("var app = builder.Build();");
                    appBuilt = true;
                }

                program.AppendLine(text);
            }

            if (types.Count > 0)
            {
                files.Add(string.Join("\n", types.Select(static t => t.ToFullString())));
            }
        }

        if (hubMembers.Length > 0)
        {
            files.Add($"public sealed class DocsHub : Microsoft.AspNetCore.SignalR.Hub\n{{\n{hubMembers}\n}}");
        }

        var header = string.Join("\n", s_implicitUsings.Select(static u => $"global using {u};")) + "\n";
        var trees = new List<SyntaxTree> { CSharpSyntaxTree.ParseText(header, Options, "GlobalUsings.cs") };
        trees.Add(CSharpSyntaxTree.ParseText(string.Join("\n", usings) + "\n" + program, Options, "Program.cs"));
        trees.AddRange(files.Select((f, i) => CSharpSyntaxTree.ParseText(string.Join("\n", usings) + "\n" + f, Options, $"Snippet{i}.cs")));
        var compilation = CSharpCompilation.Create(
            "Docs" + Path.GetFileNameWithoutExtension(page),
            trees,
            References(),
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));

        var errors = compilation.GetDiagnostics().Where(static d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(
            errors.Count == 0,
            $"{page}: its C# snippets do not compile as an app:\n{string.Join("\n", errors.Select(static e => $"{e.Location.SourceTree?.FilePath}: {e.GetMessage()} [{e.Location.SourceTree?.GetText().GetSubText(e.Location.SourceSpan)}]"))}");
    }

    private static CSharpParseOptions Options { get; } = new(LanguageVersion.Latest);

    private static IEnumerable<MetadataReference> References() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(static p => p.EndsWith(".dll", StringComparison.Ordinal))
            .Select(static p => MetadataReference.CreateFromFile(p));

    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Presence.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Presence.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^```csharp\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    [GeneratedRegex(@"\bapp\.")]
    private static partial Regex AppUse();
}
