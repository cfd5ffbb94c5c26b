namespace HostKit.Chat;

/// <summary>What <see cref="MessageRateLimiter"/> decided for one message.</summary>
internal enum RateVerdict
{
    /// <summary>Within the rate: store it.</summary>
    Accept,

    /// <summary>Over the rate: refuse it with an <c>error</c> and keep the connection.</summary>
    Refuse,

    /// <summary>Over the rate for long (sustained abuse): refuse it and close the connection with 1008.</summary>
    Close,
}
