using System.Runtime.CompilerServices;

namespace HostKit.Conformance;

/// <summary>
/// A conformance case, run once per host that declares what it needs. When the suite is narrowed to one
/// host (<c>HOSTKIT_HOST=raw</c>) and that host lacks the capability, the case has no row: it is reported as
/// skipped for want of data rather than failed. A full run gives every case at least one host, so nothing skips.
/// </summary>
public sealed class HostTheoryAttribute : TheoryAttribute
{
    public HostTheoryAttribute([CallerFilePath] string? sourceFilePath = null, [CallerLineNumber] int sourceLineNumber = -1)
        : base(sourceFilePath, sourceLineNumber) => SkipTestWithoutData = true;
}
