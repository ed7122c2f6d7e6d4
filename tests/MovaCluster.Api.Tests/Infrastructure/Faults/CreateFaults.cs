namespace MovaCluster.Api.Tests.Infrastructure.Faults;

/// <summary>
/// Which create step fails next, and whether before the real store took the change or after it (a store that
/// applied the write but whose answer was lost). One failure per arming; the stores stay real.
/// </summary>
public sealed class CreateFaults
{
    private readonly Lock _gate = new();
    private (CreateStep Step, bool AfterEffect)? _armed;

    public void Arm(CreateStep step, bool afterEffect)
    {
        lock (_gate)
        {
            _armed = (step, afterEffect);
        }
    }

    public void Disarm()
    {
        lock (_gate)
        {
            _armed = null;
        }
    }

    /// <summary>Throws (once) when <paramref name="step"/> is armed for this side of the real change.</summary>
    public void At(CreateStep step, bool afterEffect)
    {
        lock (_gate)
        {
            if (_armed != (step, afterEffect))
            {
                return;
            }

            _armed = null;
        }

        throw new IOException($"Injected failure at {step} ({(afterEffect ? "after" : "before")} the store took the change).");
    }
}
