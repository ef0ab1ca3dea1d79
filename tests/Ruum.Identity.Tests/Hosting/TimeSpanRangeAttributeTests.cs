using System.ComponentModel.DataAnnotations;
using Ruum.Identity.Infrastructure.Hosting;

namespace Ruum.Identity.Tests.Hosting;

/// <summary>Options are validated by every server a test run starts, often at once, so the bound check must be thread-safe.</summary>
public sealed class TimeSpanRangeAttributeTests
{
    private sealed class Settings
    {
        [TimeSpanRange("00:00:01", "1.00:00:00")]
        public TimeSpan Window { get; set; }
    }

    [Fact]
    public void ValidatedFromManyThreadsAtOnce_NeverThrows()
    {
        // Every round releases fresh attributes' first checks at the same instant, as servers starting together do.
        const int Threads = 4;
        var attributes = Enumerable.Range(0, 2000).Select(_ => new TimeSpanRangeAttribute("00:00:01", "1.00:00:00")).ToArray();
        var start = new Barrier(Threads);
        var failures = 0;
        var threads = Enumerable.Range(0, Threads).Select(_ => new Thread(() =>
        {
            foreach (var range in attributes)
            {
                start.SignalAndWait();
                try { if (!range.IsValid(TimeSpan.FromMinutes(1))) Interlocked.Increment(ref failures); }
                catch (InvalidCastException) { Interlocked.Increment(ref failures); }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Equal(0, failures);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("1.00:00:01")]
    [InlineData("-00:00:01")]
    public void OutsideTheBounds_FailsNamingTheSetting(string window)
    {
        var results = new List<ValidationResult>();

        Assert.False(Validate(window, results));
        Assert.Equal("The field Window must be between 00:00:01 and 1.00:00:00.", Assert.Single(results).ErrorMessage);
    }

    [Theory]
    [InlineData("00:00:01")]
    [InlineData("1.00:00:00")]
    public void OnTheBounds_IsValid(string window) => Assert.True(Validate(window, []));

    private static bool Validate(string window, List<ValidationResult> results)
    {
        var settings = new Settings { Window = TimeSpan.Parse(window, System.Globalization.CultureInfo.InvariantCulture) };
        return Validator.TryValidateObject(settings, new ValidationContext(settings), results, validateAllProperties: true);
    }
}
