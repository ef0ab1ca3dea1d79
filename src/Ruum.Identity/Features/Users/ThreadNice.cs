using System.Runtime.InteropServices;

namespace Ruum.Identity.Features.Users;

/// <summary>
/// Linux keeps a nice value per thread. Raising it needs no privilege: while the CPUs are busy the scheduler then
/// favours every other thread (token, discovery, API requests), and while they are idle nothing changes.
/// .NET's <see cref="Thread.Priority"/> does nothing on Linux, hence the system call.
/// </summary>
internal static class ThreadNice
{
    private const int PrioProcess = 0;

    /// <summary>Lowers the calling thread's priority to <paramref name="nice"/> (0 to 19); a no-op elsewhere than Linux.</summary>
    public static void LowerCurrentThread(int nice)
    {
        if (nice <= 0 || !OperatingSystem.IsLinux())
        {
            return;
        }
        try
        {
            // who = 0 is the calling thread under Linux's threads (setpriority(2), NOTES); a failure only leaves it at 0.
            _ = SetPriority(PrioProcess, 0, nice);
        }
        catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException)
        {
            // A C library without setpriority: the priority is an optimisation, the password check goes on.
        }
    }

    // Blittable arguments: a plain DllImport needs no marshalling code (and no unsafe blocks for LibraryImport).
    [DllImport("libc", EntryPoint = "setpriority")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SetPriority(int which, uint who, int prio);
}
