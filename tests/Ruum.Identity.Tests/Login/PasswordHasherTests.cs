using Microsoft.Extensions.Options;
using Ruum.Identity.Features.Users;

namespace Ruum.Identity.Tests.Login;

public sealed class PasswordHasherTests
{
    private static PasswordHasher Hasher(string pepper = "a-test-pepper-of-some-length") =>
        new(Options.Create(new PasswordOptions { WorkFactor = 4, Pepper = pepper }));

    [Fact]
    public void Verify_LongPasswordsDifferingAfterByte72_AreDifferent()
    {
        var hasher = Hasher();
        var prefix = new string('x', 100);
        var hash = hasher.Hash(prefix + "A");

        Assert.Equal(PasswordCheck.Success, hasher.Verify(prefix + "A", hash));
        Assert.Equal(PasswordCheck.Failed, hasher.Verify(prefix + "B", hash));
    }

    [Fact]
    public void Verify_NfkcEquivalentPassword_Matches()
    {
        var hasher = Hasher();
        var hash = hasher.Hash("ｐａｓｓｗｏｒｄ-ﬁ-1"); // full-width letters and a ligature

        Assert.Equal(PasswordCheck.Success, hasher.Verify("password-fi-1", hash));
    }

    [Fact]
    public void Verify_OtherPepper_Fails()
    {
        var hash = Hasher().Hash("Correct-Horse-Battery-9");

        Assert.Equal(PasswordCheck.Failed, Hasher("another-pepper-entirely").Verify("Correct-Horse-Battery-9", hash));
    }

    [Fact]
    public void Verify_OverOneKibibyte_FailsWithoutThrowing()
    {
        var hasher = Hasher();
        Assert.Equal(PasswordCheck.Failed, hasher.Verify(new string('x', 1025), hasher.Hash("short-one")));
        Assert.Equal(PasswordCheck.Failed, hasher.Verify("anything", null));
    }
}
