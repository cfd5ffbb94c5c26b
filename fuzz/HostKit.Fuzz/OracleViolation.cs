namespace HostKit.Fuzz;

/// <summary>
/// Thrown when a target's oracle does not hold. It is left unhandled on purpose: afl-fuzz records an
/// input whose run throws as a crash, which is how a wrong answer (not only a real crash) becomes a finding.
/// </summary>
internal sealed class OracleViolation(string message) : Exception(message);
