using HostKit.Hosts;

namespace HostKit.Fuzz;

/// <summary>
/// The limits each input runs under. The defaults are what a server runs with, but a fuzzer's inputs
/// are small and rarely reach 8 KiB lines; the tight profile puts every limit (line, header block,
/// header count, body) within reach of a mutated seed, so the refusals at the limits get fuzzed too.
/// </summary>
internal static class FuzzLimits
{
    public static readonly HttpLimits Tight = new()
    {
        MaxRequestLineBytes = 40,
        MaxRequestHeadersBytes = 160,
        MaxRequestHeaderCount = 5,
        MaxRequestBodyBytes = 24,
    };

    public static readonly IReadOnlyList<(string Name, HttpLimits Limits)> Profiles = [("default limits", HttpLimits.Default), ("tight limits", Tight)];
}
