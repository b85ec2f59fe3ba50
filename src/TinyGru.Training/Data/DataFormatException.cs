using System;

namespace TinyGru.Training.Data;

/// <summary>A data file holds a row that cannot be read; the message starts with <c>file:line:</c>.</summary>
public sealed class DataFormatException : Exception
{
    /// <summary>Creates the exception for <paramref name="location"/> (<c>file:line</c>).</summary>
    public DataFormatException(string location, string reason)
        : base(location + ": " + reason)
    {
        Location = location;
        Reason = reason;
    }

    /// <summary><c>file:line</c>.</summary>
    public string Location { get; }

    /// <summary>What is wrong with the row.</summary>
    public string Reason { get; }
}
