namespace MovaCluster.Model.Planning.Simulation;

/// <summary>What the simulated cluster did with a full queue.</summary>
/// <param name="Plan">The plan every replica ran.</param>
/// <param name="Jobs">Jobs simulated in all.</param>
/// <param name="JobsPerHour">Steady-state completions per hour (after every replica's first round of jobs).</param>
/// <param name="MeanLatencySeconds">Mean time from a job's start on a replica to its clip being ready.</param>
/// <param name="Utilization">Mean busy fraction of the GPUs used, over the whole run.</param>
/// <param name="MakespanSeconds">Time until the last job finished.</param>
public sealed record SimulationResult(ExecutionPlan Plan, int Jobs, double JobsPerHour, double MeanLatencySeconds, double Utilization, double MakespanSeconds);
