namespace Ripcord.Cli;

/// <summary>The command line or a file it names is wrong; the message says what to fix.</summary>
internal sealed class CliUsageException(string message, Exception? innerException = null) : Exception(message, innerException);
